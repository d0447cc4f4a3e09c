import { mergeHeaders } from '@openfeature/ofrep-core';
import { OFREPProvider, type OFREPProviderOptions } from '@openfeature/ofrep-provider';
import type { EvaluationContext, TrackingEventDetails } from '@openfeature/server-sdk';
import { findUnsafeInput } from '../../core/safe-input';
import { FLAG_KEY_RE } from '../flags/flags.schemas';

export interface FlagpoleProviderOptions extends OFREPProviderOptions {
  /** How long a tracked event may wait to be sent with others (default 100 ms). */
  trackFlushMs?: number;
  /** Events per request at most (default 500; the server takes up to 1,000). */
  trackBatchSize?: number;
  /** Events waiting at most while the server does not answer; past it new ones are dropped (default 10,000). */
  maxQueuedEvents?: number;
  /** Told about events that were dropped or could not be sent; tracking itself never throws. */
  onTrackError?: (error: Error, events: number) => void;
}

interface QueuedEvent {
  json: string;
  bytes: number;
}

/** A request body stays well under the server's default BODY_LIMIT (256 kB), however large the contexts are. */
const MAX_BODY_BYTES = 200_000;

/**
 * The stock OFREP provider plus OpenFeature tracking for Flagpole's guarded rollouts:
 * `client.track(name, context, { value })` queues the event, and the queue is sent to
 * `POST /ofrep/v1/track` in batches (every `trackFlushMs`, or at once when `trackBatchSize`
 * events wait), with the provider's headers (the client token). Events the server would refuse
 * (a name outside the flag-key pattern, a value that is not a finite number, text PostgreSQL
 * cannot store) are dropped here, so one bad event never costs its batch. `flush()` sends what
 * waits; closing the provider (OpenFeature.close()) flushes too. Evaluation is the stock one.
 */
export class FlagpoleProvider extends OFREPProvider {
  private queue: QueuedEvent[] = [];
  private timer: NodeJS.Timeout | undefined;
  private sending: Promise<void> = Promise.resolve();
  private readonly settings: Required<
    Pick<FlagpoleProviderOptions, 'trackFlushMs' | 'trackBatchSize' | 'maxQueuedEvents'>
  >;

  constructor(private readonly flagpole: FlagpoleProviderOptions) {
    super(flagpole);
    this.settings = {
      trackFlushMs: flagpole.trackFlushMs ?? 100,
      trackBatchSize: Math.min(flagpole.trackBatchSize ?? 500, 1000),
      maxQueuedEvents: flagpole.maxQueuedEvents ?? 10_000,
    };
  }

  track(trackingEventName: string, context: EvaluationContext, trackingEventDetails: TrackingEventDetails = {}): void {
    try {
      const event = this.eventOf(trackingEventName, context, trackingEventDetails);
      if (!event) return;
      if (this.queue.length >= this.settings.maxQueuedEvents)
        return this.report(new Error('the tracking queue is full; event dropped'), 1);
      this.queue.push(event);
      if (this.queue.length >= this.settings.trackBatchSize) void this.flush();
      else this.timer ??= setTimeout(() => void this.flush(), this.settings.trackFlushMs).unref();
    } catch (err) {
      // track is called from application code that must not fail because of telemetry
      this.report(err instanceof Error ? err : new Error(String(err)), 1);
    }
  }

  /** Sends every queued event (after a send in flight); never rejects. */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.timer = undefined;
    this.sending = this.sending.then(() => this.sendAll());
    return this.sending;
  }

  async onClose(): Promise<void> {
    await this.flush();
  }

  private eventOf(name: string, context: EvaluationContext, details: TrackingEventDetails): QueuedEvent | undefined {
    const { value } = details;
    const problem = !FLAG_KEY_RE.test(name)
      ? `event name "${name.slice(0, 140)}" does not match ${FLAG_KEY_RE}`
      : value !== undefined && (typeof value !== 'number' || !Number.isFinite(value))
        ? 'value must be a finite number'
        : undefined;
    const event = { name, context, ...(value !== undefined ? { value } : {}), timestamp: new Date().toISOString() };
    // the server's own check, on the JSON it will parse (Dates become strings, undefined goes)
    const json = problem === undefined ? JSON.stringify(event) : undefined;
    const unsafe = json === undefined ? undefined : findUnsafeInput(JSON.parse(json), 'event');
    if (problem || unsafe || json === undefined) {
      this.report(new Error(`tracking event dropped: ${problem ?? `${unsafe!.path} ${unsafe!.message}`}`), 1);
      return undefined;
    }
    return { json, bytes: Buffer.byteLength(json) };
  }

  private async sendAll(): Promise<void> {
    while (this.queue.length > 0) {
      const batch: string[] = [];
      let bytes = 12;
      for (const { json, bytes: size } of this.queue) {
        if (batch.length === this.settings.trackBatchSize || (batch.length > 0 && bytes + size + 1 > MAX_BODY_BYTES))
          break;
        batch.push(json);
        bytes += size + 1;
      }
      this.queue.splice(0, batch.length);
      try {
        await this.post(`{"events":[${batch.join(',')}]}`);
      } catch (err) {
        this.report(err instanceof Error ? err : new Error(String(err)), batch.length);
      }
    }
  }

  private async post(body: string): Promise<void> {
    const { headers, headersFactory, fetchImplementation = fetch, baseUrl } = this.flagpole;
    const merged = mergeHeaders(headers, await headersFactory?.(), [['Content-Type', 'application/json']]);
    const res = await fetchImplementation(`${baseUrl}/ofrep/v1/track`, { method: 'POST', headers: merged, body });
    if (res.status !== 202) {
      const text = await res.text().catch(() => '');
      throw new Error(`POST /ofrep/v1/track answered ${res.status}: ${text.slice(0, 300)}`);
    }
    await res.body?.cancel();
  }

  private report(error: Error, events: number): void {
    try {
      this.flagpole.onTrackError?.(error, events);
    } catch {
      // a failing error callback is the caller's; tracking still must not throw
    }
  }
}

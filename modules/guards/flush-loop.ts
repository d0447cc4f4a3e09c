import type { Logger } from '../platform/logger';

/**
 * Runs a buffer's `drain` every `everyMs` once started, on demand (`soon`, `flush`) and once more
 * at `stop`, never two at a time. A failed drain is logged once per outage (not every 250 ms while
 * the database is down) and again when writing works again.
 */
export class FlushLoop {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<number> | undefined;
  private failing = false;

  constructor(
    private readonly d: {
      /** What is written, for the log: "exposures", "tracking events". */
      what: string;
      everyMs: number;
      logger: Logger;
      drain: () => Promise<number>;
    },
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.soon(), this.d.everyMs).unref();
  }

  /** A drain in the background unless one is running; its failure is logged, not thrown. */
  soon(): void {
    // the failure is logged by flush; nobody waits for this one
    if (!this.running) this.flush().catch(() => undefined);
  }

  /** Drains after the drain in flight, if any; resolves with the rows written, rejects with the write's error. */
  flush(): Promise<number> {
    const run = (this.running ?? Promise.resolve(0))
      .catch(() => 0)
      .then(() => this.d.drain())
      .then(
        (written) => {
          if (this.failing) this.d.logger.info({ what: this.d.what }, `${this.d.what} are written again`);
          this.failing = false;
          return written;
        },
        (err: unknown) => {
          if (!this.failing)
            this.d.logger.warn(
              { err, what: this.d.what },
              `could not write ${this.d.what}; they are kept (up to a bound) and retried`,
            );
          this.failing = true;
          throw err;
        },
      );
    this.running = run;
    const clear = () => {
      if (this.running === run) this.running = undefined;
    };
    run.then(clear, clear);
    return run;
  }

  /** Stops the timer and writes what is left; a failure is logged (the process is stopping), not thrown. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    this.timer = undefined;
    await this.flush().catch(() => undefined);
  }
}

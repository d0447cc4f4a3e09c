import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { EvaluationContext } from '../../core/constraints';
import type { ClientAuth } from '../../modules/evaluation/client-tokens';
import type { FlagExposure, TenantSnapshot } from '../../modules/evaluation/tenant-snapshot';
import type { Container } from '../../modules/platform/container';
import type { createMetrics } from '../metrics';
import { VALID_REQUEST_ID } from '../middleware/request-context';
import { corsPolicy, securityHeaders } from './cors';
import type { TrackEvent } from './ofrep.schemas';
import {
  assertJsonContentType,
  bytesOf,
  contextOf,
  matchesIfNoneMatch,
  OfrepRequestError,
  readBody,
  trackEventsOf,
} from './ofrep-request';
import { EvaluationRateLimiter } from './rate-limit';

const BULK = '/ofrep/v1/evaluate/flags';
const SINGLE = '/ofrep/v1/evaluate/flags/';
const TRACK = '/ofrep/v1/track';
const BEARER_RE = /^Bearer\s+(\S{1,200})\s*$/i;
const JSON_TYPE = 'application/json; charset=utf-8';

type Route = typeof BULK | '/ofrep/v1/evaluate/flags/:key' | typeof TRACK | 'unmatched';
interface Reply {
  status: number;
  body?: string;
  bytes?: number;
}

export interface OfrepHandler {
  /** Answers any request under /ofrep/. */
  handle(req: IncomingMessage & { originalUrl?: string }, res: ServerResponse): void;
}

const reply = (status: number, value: object): Reply => ({ status, body: JSON.stringify(value) });

/**
 * The OpenFeature Remote Evaluation Protocol on plain node:http, in front of Express: auth
 * from a client token (cached), the tenant's compiled snapshot, each flag's answers
 * pre-serialized when the snapshot was built. When the token and the snapshot are in memory,
 * a request is answered synchronously once its body has arrived. Request ids, CORS, metrics
 * and the OFREP error shapes are handled here, since the generic middleware does not run.
 *
 * Guarded rollouts: an evaluation of a flag whose plan is in a guarded stage records the
 * unit's exposure (in memory; written in batches), and `POST /ofrep/v1/track` takes the
 * SDKs' tracking events for the guarded plans that read them, the same way.
 */
export function createOfrepHandler(c: Container, metrics: ReturnType<typeof createMetrics>): OfrepHandler {
  const cors = corsPolicy(c.config.evaluation.corsOrigins);
  const security = securityHeaders({
    corsOrigins: c.config.evaluation.corsOrigins,
    production: c.config.env === 'production',
  });
  const limiter = new EvaluationRateLimiter(c.config.evaluation.rateLimit, c.clock);
  const reasons = metrics.evaluations;
  const bodyLimit = bytesOf(c.config.bodyLimit);
  const { snapshots, clientTokens, exposures, events: trackedEvents } = c.evaluation;
  const log = c.logger.child({ component: 'ofrep' });
  const timers = new Map<string, { observe(v: number): void }>();
  const observe = (method: string, route: Route, status: number, started: bigint) => {
    const id = `${method} ${route} ${status}`;
    let timer = timers.get(id);
    if (!timer) {
      timer = metrics.httpDuration.labels({ method, route, status: String(status) });
      timers.set(id, timer);
    }
    timer.observe(Number(process.hrtime.bigint() - started) / 1e9);
  };

  const expose = (exposure: FlagExposure, context: EvaluationContext, index: number) => {
    const assignment = exposure.arms.ofResult(context, index);
    if (assignment) exposures.record(exposure.cohort, assignment.unit, assignment.arm);
  };

  function evaluate(
    snapshot: TenantSnapshot,
    key: string | undefined,
    context: EvaluationContext,
    ifNoneMatch: string | undefined,
    headers: Record<string, string>,
  ): Reply {
    if (key === undefined) return bulk(snapshot, context, ifNoneMatch, headers);
    const flag = snapshot.byKey.get(key);
    if (!flag) {
      reasons.ERROR++;
      return reply(404, { key, errorCode: 'FLAG_NOT_FOUND', errorDetails: `No flag "${key}" in this tenant.` });
    }
    const index = flag.compiled.resultIndex(context);
    reasons[flag.compiled.results[index].reason]++;
    flag.counter.count++;
    flag.counter.lastAt = Date.now();
    if (flag.exposure) expose(flag.exposure, context, index);
    const answer = flag.answers[index];
    return { status: flag.compiled.results[index].errorCode ? 400 : 200, body: answer.json, bytes: answer.bytes };
  }

  /**
   * The body is the snapshot's pre-serialized answers in key order, so the ETag is the
   * snapshot's tag plus a 64-bit hash of which answer each flag gave: equal ETags mean equal
   * bodies.
   */
  function bulk(
    snapshot: TenantSnapshot,
    context: EvaluationContext,
    ifNoneMatch: string | undefined,
    headers: Record<string, string>,
  ): Reply {
    const now = Date.now();
    const { flags } = snapshot;
    const parts = new Array<string>(flags.length);
    let bytes = 12 + Math.max(0, flags.length - 1);
    let h1 = 0x811c9dc5;
    let h2 = 0x9e3779b9;
    for (let i = 0; i < flags.length; i++) {
      const flag = flags[i];
      const index = flag.compiled.resultIndex(context);
      const answer = flag.answers[index];
      reasons[flag.compiled.results[index].reason]++;
      parts[i] = answer.json;
      bytes += answer.bytes;
      h1 = Math.imul(h1 ^ answer.id, 0x01000193);
      h2 = Math.imul(h2 ^ (answer.id + i), 0x5bd1e995);
      h2 ^= h2 >>> 15;
      flag.counter.count++;
      flag.counter.lastAt = now;
      if (flag.exposure) expose(flag.exposure, context, index);
    }
    const etag = `"${snapshot.tag}-${(h1 >>> 0).toString(36)}-${(h2 >>> 0).toString(36)}"`;
    headers.ETag = etag;
    if (matchesIfNoneMatch(ifNoneMatch, etag)) return { status: 304 };
    // one join gives a flat string, which the socket writes without flattening a chain of concatenations
    if (parts.length === 0) return { status: 200, body: '{"flags":[]}', bytes };
    parts[0] = `{"flags":[${parts[0]}`;
    parts[parts.length - 1] += ']}';
    return { status: 200, body: parts.join(','), bytes };
  }

  /** Every event is accepted; each is kept for the guarded plans whose guards read its name, the others only counted. */
  function track(snapshot: TenantSnapshot, events: TrackEvent[]): Reply {
    for (const e of events) trackedEvents.add(snapshot.trackTargets.get(e.name), e.name, e.context, e.value);
    return reply(202, { accepted: events.length });
  }

  return {
    handle(req, res) {
      const started = process.hrtime.bigint();
      const incoming = req.headers['x-request-id'];
      const requestId = typeof incoming === 'string' && VALID_REQUEST_ID.test(incoming) ? incoming : randomUUID();
      const origin = req.headers.origin;
      const { route, key } = routeOf(req.originalUrl ?? req.url ?? '/');

      if (req.method === 'OPTIONS' && route !== 'unmatched') {
        res.writeHead(204, { ...security, 'X-Request-Id': requestId, ...cors.preflight(origin) });
        res.end();
        return observe('OPTIONS', route, 204, started);
      }
      const headers: Record<string, string> = { ...security, 'X-Request-Id': requestId };
      const allowed = origin === undefined ? undefined : cors.headers(origin);
      if (allowed) Object.assign(headers, allowed);
      const send = ({ status, body, bytes = body === undefined ? 0 : Buffer.byteLength(body) }: Reply) => {
        if (body !== undefined) {
          headers['Content-Type'] = JSON_TYPE;
          headers['Content-Length'] = String(bytes);
        }
        res.writeHead(status, headers);
        // as many bytes as characters: ASCII, which latin1 writes without a UTF-8 encoding pass
        res.end(body, bytes === body?.length ? 'latin1' : 'utf8');
        observe(req.method ?? 'POST', route, status, started);
        if (log.isLevelEnabled('debug')) log.debug({ requestId, method: req.method, path: route, status }, 'request');
      };
      const unavailable = (err: unknown) => {
        log.error({ err, requestId }, 'OFREP request failed');
        if (res.headersSent) return;
        headers['Retry-After'] = '1';
        send(
          reply(503, {
            errorCode: 'GENERAL',
            errorDetails: `Evaluation is unavailable; retry later (request ${requestId}).`,
          }),
        );
      };
      const fail = (status: number, errorCode: string, errorDetails: string, details?: OfrepRequestError['details']) =>
        send(
          reply(
            status,
            key === undefined
              ? { errorCode, errorDetails, ...(details && { details }) }
              : { key, errorCode, errorDetails },
          ),
        );

      if (route === 'unmatched') return send(reply(404, { errorDetails: 'No such OFREP route.' }));
      if (req.method !== 'POST') {
        headers.Allow = 'POST, OPTIONS';
        return send(reply(405, { errorDetails: 'Use POST.' }));
      }
      const secret = secretOf(req);
      if (!secret) return send(reply(401, { errorDetails: 'Send Authorization: Bearer <client token>.' }));

      const accept = (tenantId: string, text: string) => {
        let events: TrackEvent[];
        try {
          assertJsonContentType(req.headers['content-type']);
          events = trackEventsOf(text);
        } catch (err) {
          if (!(err instanceof OfrepRequestError)) throw err;
          return fail(err.status, err.errorCode, err.message, err.details);
        }
        const snapshot = snapshots.peek(tenantId);
        if (snapshot) return send(track(snapshot, events));
        snapshots
          .get(tenantId)
          .then((s) => send(track(s, events)))
          .catch(unavailable);
      };
      const answer = (auth: ClientAuth, text: string) => {
        if (!auth.ok) return send(reply(auth.status, { errorDetails: auth.message }));
        const wait = limiter.take(auth.tokenId);
        if (wait > 0) {
          headers['Retry-After'] = String(wait);
          return fail(
            429,
            'GENERAL',
            `Rate limit of ${c.config.evaluation.rateLimit} requests per second for this client token exceeded; retry after ${wait} s.`,
          );
        }
        if (route === TRACK) return accept(auth.tenantId, text);
        let context: EvaluationContext;
        try {
          context = contextOf(text);
        } catch (err) {
          if (!(err instanceof OfrepRequestError)) throw err;
          return fail(err.status, err.errorCode, err.message);
        }
        const ifNoneMatch = req.headers['if-none-match'];
        const snapshot = snapshots.peek(auth.tenantId);
        if (snapshot) return send(evaluate(snapshot, key, context, ifNoneMatch, headers));
        snapshots
          .get(auth.tenantId)
          .then((s) => send(evaluate(s, key, context, ifNoneMatch, headers)))
          .catch(unavailable);
      };
      readBody(req, bodyLimit, (err, text) => {
        if (err)
          return err instanceof OfrepRequestError ? fail(err.status, err.errorCode, err.message) : unavailable(err);
        try {
          const auth = clientTokens.cached(secret);
          if (auth) answer(auth, text);
          else
            clientTokens
              .authenticate(secret)
              .then((a) => answer(a, text))
              .catch(unavailable);
        } catch (e) {
          unavailable(e);
        }
      });
    },
  };
}

function routeOf(url: string): { route: Route; key?: string } {
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  if (path === BULK) return { route: BULK };
  if (path === TRACK) return { route: TRACK };
  if (path.startsWith(SINGLE) && path.length > SINGLE.length && path.indexOf('/', SINGLE.length) === -1) {
    const raw = path.slice(SINGLE.length);
    return { route: '/ofrep/v1/evaluate/flags/:key', key: decodeKey(raw) };
  }
  return { route: 'unmatched' };
}

/** The flag key of a path segment; a malformed escape is taken as written (and will not be found). */
function decodeKey(raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}

/** The client token from `Authorization: Bearer …` or `X-API-Key` (both are OFREP's schemes). */
function secretOf(req: IncomingMessage): string | undefined {
  const authorization = req.headers.authorization;
  if (authorization !== undefined) return BEARER_RE.exec(authorization)?.[1];
  const apiKey = req.headers['x-api-key'];
  return typeof apiKey === 'string' && apiKey.length > 0 && apiKey.length <= 200 ? apiKey : undefined;
}

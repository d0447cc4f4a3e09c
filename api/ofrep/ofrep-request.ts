import type { IncomingMessage } from 'node:http';
import type { EvaluationContext } from '../../core/constraints';
import type { ErrorDetail } from '../../core/errors';
import { findUnsafeInput } from '../../core/safe-input';
import { zodDetails } from '../http/pipeline';
import { ofrepTrackRequest, type TrackEvent } from './ofrep.schemas';

export class OfrepRequestError extends Error {
  constructor(
    readonly status: number,
    readonly errorCode: 'PARSE_ERROR' | 'INVALID_CONTEXT',
    message: string,
    /** Each invalid field, for the track endpoint's answer. */
    readonly details?: Array<Required<Pick<ErrorDetail, 'path' | 'message'>>>,
  ) {
    super(message);
  }
}

export function bytesOf(limit: string): number {
  const m = /^(\d+)(b|kb|mb)$/.exec(limit);
  if (!m) throw new Error(`Not a size: ${limit}`);
  return Number(m[1]) * { b: 1, kb: 1024, mb: 1024 * 1024 }[m[2] as 'b' | 'kb' | 'mb'];
}

/** Calls `done` with the request body as text, or with a 413 error past `limit` bytes. */
export function readBody(
  req: IncomingMessage,
  limit: number,
  done: (err: OfrepRequestError | Error | undefined, body: string) => void,
): void {
  const tooLarge = () =>
    new OfrepRequestError(413, 'PARSE_ERROR', `The request body is larger than the limit of ${limit} bytes.`);
  if (Number(req.headers['content-length'] ?? 0) > limit) {
    req.resume();
    done(tooLarge(), '');
    return;
  }
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  });
  req.on('end', () => {
    if (size > limit) done(tooLarge(), '');
    else done(undefined, chunks.length === 1 ? chunks[0].toString('utf8') : Buffer.concat(chunks).toString('utf8'));
  });
  req.on('error', (err) => done(err, ''));
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** The evaluation context of an OFREP request body `{ "context": { … } }` (an empty body is an empty context). */
export function contextOf(body: string): EvaluationContext {
  if (body.trim() === '') return {};
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new OfrepRequestError(400, 'PARSE_ERROR', 'The request body is not valid JSON.');
  }
  const unsafe = findUnsafeInput(parsed);
  if (unsafe)
    throw new OfrepRequestError(
      400,
      /^context\b/.test(unsafe.path) ? 'INVALID_CONTEXT' : 'PARSE_ERROR',
      `${unsafe.path} ${unsafe.message}.`,
    );
  if (!isObject(parsed))
    throw new OfrepRequestError(400, 'PARSE_ERROR', 'The request body must be a JSON object: { "context": { … } }.');
  const context = parsed.context ?? {};
  if (!isObject(context)) throw new OfrepRequestError(400, 'INVALID_CONTEXT', 'context must be a JSON object.');
  if (context.targetingKey !== undefined && typeof context.targetingKey !== 'string') {
    throw new OfrepRequestError(400, 'INVALID_CONTEXT', 'context.targetingKey must be a string.');
  }
  return context;
}

/** A track body must say it is JSON (the error contract's 415 otherwise): `application/json` or a `+json` type. */
export function assertJsonContentType(contentType: string | undefined): void {
  const type = contentType?.split(';')[0].trim().toLowerCase();
  if (type === 'application/json' || (type?.startsWith('application/') && type.endsWith('+json'))) return;
  throw new OfrepRequestError(415, 'PARSE_ERROR', 'Send the events as JSON (Content-Type: application/json).');
}

/** At most this many invalid fields are named in one answer. */
const MAX_DETAILS = 20;

/**
 * The events of a track body `{ "events": [ … ] }`, all valid or none: the first unsafe text
 * (core/safe-input) or every schema problem, named by path (`events[3].value`), is a 400:
 * INVALID_CONTEXT when it is inside an event's context, PARSE_ERROR otherwise.
 */
export function trackEventsOf(body: string): TrackEvent[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    throw new OfrepRequestError(400, 'PARSE_ERROR', 'The request body is not valid JSON.');
  }
  const unsafe = findUnsafeInput(parsed);
  if (unsafe) throw invalidEvents([{ path: unsafe.path, message: unsafe.message }]);
  const result = ofrepTrackRequest.safeParse(parsed);
  if (!result.success)
    throw invalidEvents(zodDetails(result.error).map((d) => ({ path: d.path ?? '(root)', message: d.message })));
  return result.data.events;
}

function invalidEvents(problems: Array<{ path: string; message: string }>): OfrepRequestError {
  const [first] = problems;
  const errorCode = /^events\[\d+\]\.context\b/.test(first.path) ? 'INVALID_CONTEXT' : 'PARSE_ERROR';
  const more = problems.length > 1 ? ` (and ${problems.length - 1} more)` : '';
  return new OfrepRequestError(
    400,
    errorCode,
    `${first.path} ${first.message}${more}.`,
    problems.slice(0, MAX_DETAILS),
  );
}

/** True when an If-None-Match header lists `etag` (or is `*`). */
export function matchesIfNoneMatch(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((t) => t.trim().replace(/^W\//, '') === etag);
}

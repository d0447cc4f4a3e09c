import { PreconditionFailedError } from '../../core/errors';

/**
 * The `If-Match` check of every versioned write, called on the row read under lock: a version
 * that was sent and is not the current one is `412 PRECONDITION_FAILED`; none sent, no check.
 */
export function assertVersion(current: { version: number }, ifMatch: number | undefined): void {
  if (ifMatch !== undefined && ifMatch !== current.version) throw new PreconditionFailedError(current.version);
}

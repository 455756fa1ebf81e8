import { kurrent } from './kurrentdb.client';
import { EventStoreUnavailableError } from '../../errors';

/** gRPC status codes for "no answer in time" and "no connection", which the client sometimes passes on raw. */
const GRPC_DEADLINE_EXCEEDED = 4;
const GRPC_UNAVAILABLE = 14;

/**
 * Vendor errors that mean "the store could not be reached or did not answer in time" become our own, so
 * callers (health checks, HTTP 503s, retries) never import the client. Everything else passes through.
 * After a timeout an append may or may not have been stored: a retry with the same event ids is safe.
 */
export function translateClientError(err: unknown): unknown {
  const k = kurrent();
  if (
    err instanceof k.UnavailableError ||
    err instanceof k.DeadlineExceededError ||
    err instanceof k.TimeoutError ||
    err instanceof k.NotLeaderError ||
    err instanceof k.CancelledError
  ) {
    return new EventStoreUnavailableError(`KurrentDB ${err.type}`, { cause: err });
  }
  const code = (err as { code?: unknown } | null)?.code;
  if (err instanceof Error && (code === GRPC_UNAVAILABLE || code === GRPC_DEADLINE_EXCEEDED)) {
    return new EventStoreUnavailableError(`KurrentDB gRPC status ${code}`, { cause: err });
  }
  return err;
}

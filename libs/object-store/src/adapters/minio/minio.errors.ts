import { ObjectNotFoundError, ObjectStoreUnavailableError } from '../../errors';

const NOT_FOUND = new Set(['NoSuchKey', 'NotFound', 'NoSuchVersion']);
/** Codes meaning "the store is unreachable, overloaded or misconfigured": a 503, and nothing was decided. */
const UNAVAILABLE = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'ETIMEDOUT',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENOTFOUND',
  'EAI_AGAIN',
  'UND_ERR_SOCKET',
  'SlowDown',
  'ServiceUnavailable',
  'InternalError',
  'RequestTimeout',
  'XMinioServerNotInitialized',
  'XMinioStorageFull',
  'NoSuchBucket',
  'AccessDenied',
  'InvalidAccessKeyId',
  'SignatureDoesNotMatch',
  'RequestTimeTooSkewed',
]);

/**
 * Vendor errors become our own, so callers never import the client. With a key, "no such key" becomes
 * ObjectNotFoundError; everything unrecognised passes through unchanged.
 */
export function translateMinioError(err: unknown, key?: string): unknown {
  const code = (err as { code?: unknown } | null)?.code;
  // What the client throws once its own retry of a 5xx answer failed too; it carries no code.
  if (err instanceof Error && code === undefined && /^Request failed after \d+ retries/.test(err.message))
    return new ObjectStoreUnavailableError('S3 answered 5xx twice', { cause: err });
  if (typeof code !== 'string') return err;
  if (key !== undefined && NOT_FOUND.has(code)) return new ObjectNotFoundError(key);
  if (UNAVAILABLE.has(code)) return new ObjectStoreUnavailableError(`S3 ${code}`, { cause: err });
  return err;
}

export function s3CodeOf(err: unknown): string | undefined {
  const code = (err as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : undefined;
}

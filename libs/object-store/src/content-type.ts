export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';
const MAX_CONTENT_TYPE_LENGTH = 255;
// Printable ASCII only: the value becomes an HTTP header (S3, and our own responses).
const PRINTABLE = /^[\x20-\x7e]+$/;

/** The content type to record; a malformed one is a programming error, not the client's body. */
export function contentTypeOf(value: string | undefined): string {
  if (value === undefined) return DEFAULT_CONTENT_TYPE;
  if (value.length > MAX_CONTENT_TYPE_LENGTH || !PRINTABLE.test(value))
    throw new TypeError(`contentType must be 1..${MAX_CONTENT_TYPE_LENGTH} printable ASCII characters`);
  return value;
}

/** Buffers from whatever a byte stream yields; object-mode streams of anything else are refused. */
export function asBuffer(chunk: unknown): Buffer {
  if (Buffer.isBuffer(chunk)) return chunk;
  if (chunk instanceof Uint8Array) return Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
  if (typeof chunk === 'string') return Buffer.from(chunk, 'utf8');
  throw new TypeError('object body must be a byte stream');
}

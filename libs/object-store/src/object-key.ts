import { InvalidObjectKeyError } from './errors';

export const MAX_KEY_LENGTH = 1024;
/** A filesystem name's limit, so a key segment maps to one directory entry unchanged. */
export const MAX_SEGMENT_LENGTH = 255;
const KEY_CHARS = /^[A-Za-z0-9/._-]*$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/** Throws InvalidObjectKeyError unless key follows the rules on the ObjectStore port. */
export function assertValidKey(key: unknown): asserts key is string {
  if (typeof key !== 'string' || key.length === 0) throw new InvalidObjectKeyError('empty');
  if (key.length > MAX_KEY_LENGTH) throw new InvalidObjectKeyError(`longer than ${MAX_KEY_LENGTH}`);
  assertCharacters(key);
  // Segments starting with '.' are reserved for the stores' own files (temp files), and rule out '.' and '..'.
  for (const segment of key.split('/')) {
    if (segment === '') throw new InvalidObjectKeyError('empty segment (leading, trailing or double slash)');
    if (segment.startsWith('.')) throw new InvalidObjectKeyError('a segment starts with "."');
    if (segment.length > MAX_SEGMENT_LENGTH)
      throw new InvalidObjectKeyError(`a segment is longer than ${MAX_SEGMENT_LENGTH}`);
  }
}

/** A list prefix is any beginning of a valid key, including ''. */
export function assertValidPrefix(prefix: unknown): asserts prefix is string {
  if (typeof prefix !== 'string') throw new InvalidObjectKeyError('prefix is not a string');
  if (prefix.length > MAX_KEY_LENGTH) throw new InvalidObjectKeyError(`prefix longer than ${MAX_KEY_LENGTH}`);
  assertCharacters(prefix);
  if (prefix.startsWith('/')) throw new InvalidObjectKeyError('prefix starts with "/"');
}

function assertCharacters(value: string): void {
  if (!KEY_CHARS.test(value)) throw new InvalidObjectKeyError('characters outside [A-Za-z0-9/._-]');
  if (value.includes('..')) throw new InvalidObjectKeyError('contains ".."');
}

/** The canonical (lower-case) form of a caller's expected digest; a malformed one is a programming error. */
export function normaliseSha256(value: string): string {
  const lower = value.toLowerCase();
  if (!SHA256_HEX.test(lower)) throw new TypeError('expectedSha256 must be 64 hexadecimal characters');
  return lower;
}

/*
 * Where the filesystem store puts things under its root, and the header each object file starts with.
 *
 * An object `a/b/name` lives at `<root>/a/b/+<xx>/name`, xx being the first two hex digits of
 * SHA-256(name): the last segment is the one with millions of values (`documents/<id>`), so it is spread
 * over 256 shard directories. Shard names start with '+', which no key segment can, so a key may also be a
 * directory of other keys (`a` beside `a/b`, as S3 allows) without a file and a directory colliding.
 * Temp files live in `<root>/.tmp`: same filesystem, so the rename into place is atomic, and one small
 * directory to sweep after a crash. No key segment starts with '.', so `.tmp` is never a key's directory.
 *
 * Each file is a fixed 512-byte header, then the object's bytes. The header (size, SHA-256, content type)
 * is written into the temp file before its fsync and rename, so checksum and bytes appear together or not
 * at all: a sidecar file would need two renames, and a crash between them could pair new bytes with an old
 * checksum.
 */
import { createHash } from 'node:crypto';
import { join } from 'node:path';

export const TEMP_DIR = '.tmp';
export const TEMP_SUFFIX = '.part';
export const SHARD_MARK = '+';
export const HEADER_SIZE = 512;
const MAGIC = 'ACCORD-OBJECT 1\n';

export interface ObjectHeader {
  size: number;
  sha256: string;
  contentType: string;
}

export function objectPath(root: string, key: string): string {
  const segments = key.split('/');
  const name = segments.pop()!;
  return join(root, ...segments, shardOf(name), name);
}

export function shardOf(name: string): string {
  return SHARD_MARK + createHash('sha256').update(name).digest('hex').slice(0, 2);
}

export function encodeHeader(header: ObjectHeader): Buffer {
  const text = MAGIC + JSON.stringify(header);
  // The content type is capped at 255 ASCII characters, so this always fits; the check guards the invariant.
  if (Buffer.byteLength(text) >= HEADER_SIZE) throw new RangeError('object header too long');
  return Buffer.from(text.padEnd(HEADER_SIZE - 1, ' ') + '\n', 'ascii');
}

/** The header, or a reason it is not one of ours. */
export function decodeHeader(bytes: Buffer, fileSize: number): ObjectHeader | string {
  if (bytes.length < HEADER_SIZE || fileSize < HEADER_SIZE) return 'shorter than its header';
  const text = bytes.toString('ascii', 0, HEADER_SIZE);
  if (!text.startsWith(MAGIC)) return 'no object header';
  let parsed: unknown;
  try {
    parsed = JSON.parse(text.slice(MAGIC.length));
  } catch {
    return 'unreadable object header';
  }
  const h = parsed as Partial<ObjectHeader> | null;
  if (
    typeof h?.size !== 'number' ||
    typeof h.sha256 !== 'string' ||
    !/^[0-9a-f]{64}$/.test(h.sha256) ||
    typeof h.contentType !== 'string'
  )
    return 'incomplete object header';
  if (h.size !== fileSize - HEADER_SIZE)
    return `header says ${h.size} bytes, file holds ${fileSize - HEADER_SIZE}`;
  return { size: h.size, sha256: h.sha256, contentType: h.contentType };
}

import { RecordedEvent } from '../envelope';
import { eventBody } from '../hash-chain';
import { sha256Latin1 } from '../sha256';
import { leafHash } from './tree-math';

/** What the leaf text has before the event's body (the leaf hash's 0x00 comes before this). */
const LEAF_OPEN = '{"event":';

const HASH_KEY = ',"hash":';
const POSITION_KEY = ',"position":';

/** What the leaf text has after the event's body (leafDigest writes the same pieces). */
function leafClose(hash: string, position: number): string {
  return HASH_KEY + JSON.stringify(hash) + POSITION_KEY + position + '}';
}

/**
 * The bytes of an event's leaf: the canonical JSON (RFC 8785) of {event, hash, position}, where `event` is
 * the body the stream's chain hashes (eventId, type, streamId, revision, data, meta with prevHash) and `hash`
 * the event's own hash. So the leaf covers every stored column and the event's place in the global log: an
 * edit, a move to another position (a swap) or a rewrite with fresh chain hashes all change it. Keys are in
 * sorted order, so this string is canonical as written. This is the leaf format's one definition.
 */
export function leafText(body: string, hash: string, position: number): string {
  return LEAF_OPEN + body + leafClose(hash, position);
}

/** 0x00 and LEAF_OPEN, then room for a body: grown up to LEAF_INPUT_MAX when an event's UTF-8 might not fit. */
let leafInput = leafInputOf(4096);

/** Larger leaves are hashed from their text, so one huge event does not leave a huge buffer held for good. */
const LEAF_INPUT_MAX = 64 * 1024;

function leafInputOf(bytes: number): Buffer {
  const b = Buffer.allocUnsafeSlow(bytes);
  b[0] = 0x00;
  b.write(LEAF_OPEN, 1, 'latin1');
  return b;
}

/** leafClose's text up to a hash's first digit, and from after its last to the position's first, as bytes. */
const BEFORE_HASH = Buffer.from(HASH_KEY + '"', 'latin1');
const BEFORE_POSITION = Buffer.from('"' + POSITION_KEY, 'latin1');

/**
 * leafHash(leafText(body, hash, position)) as a latin1 string (CompactRange's form), the same bytes hashed,
 * without building the text: its UTF-8 is written into one reused buffer after 0x00 and LEAF_OPEN, then
 * leafClose's. The text would be a second copy of the ~800-byte body to build, walk and collect
 * (docs/architecture.md §37.9). Pinned to leafText by leaf.spec.ts.
 */
export function leafDigest(body: string, hash: string, position: number): string {
  const start = 1 + LEAF_OPEN.length;
  // Room for the worst case, so no write stops short: a UTF-16 code unit is at most 3 bytes of UTF-8 (a
  // surrogate pair, two units, is 4), in the body and in the hash's JSON.stringify (6 for a \uXXXX escape).
  const most = start + 3 * body.length + 6 * hash.length + 64;
  if (most > LEAF_INPUT_MAX) return leafHash(leafText(body, hash, position)).toString('latin1');
  if (most > leafInput.length)
    leafInput = leafInputOf(Math.min(LEAF_INPUT_MAX, Math.max(most, 2 * leafInput.length)));
  const b = leafInput;
  let end = start + b.write(body, start, 'utf8');
  end = writeSealedClose(b, end, hash, position) ?? end + b.write(leafClose(hash, position), end, 'utf8');
  return sha256Latin1(b.subarray(0, end));
}

/**
 * leafClose(hash, position) written at `at` byte by byte when the hash is sealing's (64 lowercase hex digits,
 * which JSON.stringify writes as they are), its end returned; undefined otherwise, for the caller to write the
 * text. The close built as text cost a third of the leaf's time besides the hash (§37.14).
 */
function writeSealedClose(b: Buffer, at: number, hash: string, position: number): number | undefined {
  if (hash.length !== 64) return undefined;
  let end = at + BEFORE_HASH.length;
  for (let i = 0; i < 64; i++) {
    const c = hash.charCodeAt(i);
    if ((c < 0x30 || c > 0x39) && (c < 0x61 || c > 0x66)) return undefined;
    b[end + i] = c;
  }
  b.set(BEFORE_HASH, at);
  end += 64;
  b.set(BEFORE_POSITION, end);
  end += BEFORE_POSITION.length;
  // A number's text (`'' + position` in leafClose) is ASCII whatever the number.
  const digits = String(position);
  for (let i = 0; i < digits.length; i++) b[end + i] = digits.charCodeAt(i);
  end += digits.length;
  b[end] = 0x7d; // }
  return end + 1;
}

/** The leaf hash of a decoded event (exports, the generic adapters); the SQLite adapter builds the same text from its columns. */
export function eventLeafHash(e: RecordedEvent): Buffer {
  return leafHash(leafText(eventBody(e), e.meta.hash, e.position));
}

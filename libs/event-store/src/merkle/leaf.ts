import { RecordedEvent } from '../envelope';
import { eventBody } from '../hash-chain';
import { sha256Digest } from '../sha256';
import { leafHash } from './tree-math';

/** What the leaf text has before the event's body (the leaf hash's 0x00 comes before this). */
const LEAF_OPEN = '{"event":';

/** What the leaf text has after the event's body. */
function leafClose(hash: string, position: number): string {
  return ',"hash":' + JSON.stringify(hash) + ',"position":' + position + '}';
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

/**
 * leafHash(leafText(body, hash, position)), the same bytes hashed, without building the text: its UTF-8 is
 * written into one reused buffer after 0x00 and LEAF_OPEN. The text would be a second copy of the ~800-byte
 * body on the heap for every appended event, to build, walk and collect (with the digests' Buffers, about a
 * third of the tree's work per event: docs/architecture.md §37.9). Pinned to leafText by leaf.spec.ts.
 */
export function leafHashOf(body: string, hash: string, position: number): Buffer {
  const close = leafClose(hash, position);
  const start = 1 + LEAF_OPEN.length;
  // A UTF-16 code unit is at most 3 bytes of UTF-8 (a surrogate pair, two units, is 4): enough room means
  // the write never stops short.
  const most = start + 3 * (body.length + close.length);
  if (most > LEAF_INPUT_MAX) return leafHash(leafText(body, hash, position));
  if (most > leafInput.length)
    leafInput = leafInputOf(Math.min(LEAF_INPUT_MAX, Math.max(most, 2 * leafInput.length)));
  let end = start + leafInput.write(body, start, 'utf8');
  end += leafInput.write(close, end, 'utf8');
  return sha256Digest(leafInput.subarray(0, end));
}

/** The leaf hash of a decoded event (exports, the generic adapters); the SQLite adapter builds the same text from its columns. */
export function eventLeafHash(e: RecordedEvent): Buffer {
  return leafHash(leafText(eventBody(e), e.meta.hash, e.position));
}

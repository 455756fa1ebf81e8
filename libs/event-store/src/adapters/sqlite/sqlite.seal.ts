import { canonicalJson, canonicalObjectOpen } from '../../canonical-json';
import { NewEvent } from '../../envelope';
import { sha256Hex } from '../../sha256';

/**
 * A row ready to insert: eventId, revision, type, data JSON, meta JSON (with prevHash and hash); then the
 * text that was hashed and the hash, which the Merkle leaf is made of (kept, not rebuilt: the hot path).
 */
export type SealedRow = [
  eventId: string,
  revision: number,
  type: string,
  data: string,
  meta: string,
  body: string,
  hash: string,
];

/**
 * chainEvents() for a store of JSON text, serialising each event once: the canonical JSON of data and meta
 * that goes into the hash is also what is stored (meta with its hash added), where sealing objects and then
 * stringifying them would serialise everything twice and allocate a copy of every event. Appends are the hot
 * path, so this matters (benchmark (a)).
 *
 * The hash is eventHash()'s: canonical JSON of an object is its members in sorted key order, which is the
 * order hashedBody() writes. hash-chain parity is pinned by sqlite.seal.spec.ts, and the contract suite
 * recomputes eventHash() on every event it reads back.
 */
export function sealRows(
  streamId: string,
  firstRevision: number,
  prevHash: string,
  events: readonly NewEvent[],
): { rows: SealedRow[]; lastHash: string } {
  const rows = new Array<SealedRow>(events.length);
  const streamJson = JSON.stringify(streamId);
  let prev = prevHash;
  for (let i = 0; i < events.length; i++) {
    const e = events[i]!;
    if (typeof e.eventId !== 'string' || typeof e.type !== 'string') {
      throw new TypeError('an event needs a string eventId and type');
    }
    if (typeof e.data !== 'object' || e.data === null || Array.isArray(e.data)) {
      throw new TypeError('event data must be a JSON object');
    }
    const revision = firstRevision + i;
    const data = flattened(canonicalJson(e.data));
    // Meta with prevHash, as eventHash() hashes it: without meta.hash (a caller's stray one is not hashed either).
    const metaOpen = flattened(canonicalObjectOpen(e.meta, 'prevHash', prev, 'hash'));
    const chained = prev + hashedBody(data, e.eventId, metaOpen, revision, streamJson, e.type);
    const hash = sha256Hex(chained);
    // The body, taken back out of the text just hashed: the same characters, but a slice of the one flat copy
    // the hash made (V8 flattens a concatenation once, in place, and slices a flat string without copying),
    // where the body as built is a rope of a hundred pieces that the Merkle leaf's hash would walk and copy a
    // second time (docs/architecture.md §37.9).
    const body = chained.slice(prev.length);
    rows[i] = [e.eventId, revision, e.type, data, metaOpen + HASH_KEY + hash + '"}', body, hash];
    prev = hash;
  }
  return { rows, lastHash: prev };
}

/**
 * `s`, flattened in place: reading a character of a concatenation makes V8 copy its pieces into one string
 * (and the concatenation point to it). Data and meta are stored as well as hashed: flattening the text that
 * is hashed copies their pieces but leaves their own ropes as they were, which binding them to the INSERT
 * then walks and copies a second time. Flattened first, each rope is walked once and the hashed text is a
 * dozen pieces, two of them flat (about 0.5 µs an event, docs/architecture.md §37.13). Same characters.
 */
function flattened(s: string): string {
  s.charCodeAt(0);
  return s;
}

/**
 * The canonical JSON of {data, eventId, meta, revision, streamId, type} (sorted key order) from the canonical
 * JSON of its parts, meta's without its closing brace: what sealRows hashes, and what verification rebuilds
 * from the stored columns. The ids are quoted by canonicalJson, which writes what JSON.stringify writes but
 * calls it only for a string that needs escaping (the native call costs about 100 ns an id more), and meta's
 * closing brace goes into the constant after it: one piece fewer for the hash to flatten (docs/architecture.md
 * §37.13).
 */
function hashedBody(
  dataJson: string,
  eventId: string,
  metaOpen: string,
  revision: number,
  streamJson: string,
  type: string,
): string {
  return (
    '{"data":' +
    dataJson +
    ',"eventId":' +
    canonicalJson(eventId) +
    ',"meta":' +
    metaOpen +
    '},"revision":' +
    revision +
    ',"streamId":' +
    streamJson +
    ',"type":' +
    canonicalJson(type) +
    '}'
  );
}

/** sealRows stores meta as its canonical JSON with `,"hash":"<64 hex>"}` in place of the closing brace. */
const HASH_KEY = ',"hash":"';
const HASH_SUFFIX = HASH_KEY.length + 64 + 2;

/** The hash at the end of a stored meta text, or undefined when the text does not end as sealRows ends it. */
export function sealedHash(meta: string): string | undefined {
  const at = meta.length - HASH_SUFFIX;
  if (at < 1 || !meta.startsWith(HASH_KEY, at) || !meta.endsWith('"}')) return undefined;
  return meta.slice(at + HASH_KEY.length, meta.length - 2);
}

/**
 * The text sealRows hashed for a stored event, put back together from the stored columns as they are: any
 * change to one of them changes this text. Meaningful only where sealedHash(meta) is defined.
 */
export function sealedBody(
  eventId: string,
  streamId: string,
  revision: number,
  type: string,
  data: string,
  meta: string,
): string {
  return hashedBody(
    data,
    eventId,
    meta.slice(0, meta.length - HASH_SUFFIX),
    revision,
    JSON.stringify(streamId),
    type,
  );
}

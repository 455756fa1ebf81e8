import * as crypto from 'node:crypto';
import { canonicalJson } from '../../canonical-json';
import { NewEvent } from '../../envelope';

/** A row ready to insert: eventId, revision, type, data JSON, meta JSON (with prevHash and hash). */
export type SealedRow = [eventId: string, revision: number, type: string, data: string, meta: string];

/**
 * chainEvents() for a store of JSON text, serialising each event once: the canonical JSON of data and meta
 * that goes into the hash is also what is stored (meta with its hash added), where sealing objects and then
 * stringifying them would serialise everything twice and allocate a copy of every event. Appends are the hot
 * path, so this matters (benchmark (a)).
 *
 * The hash is eventHash()'s: canonical JSON of an object is its members in sorted key order, which is the
 * order written below (data, eventId, meta, revision, streamId, type). hash-chain parity is pinned by
 * sqlite.seal.spec.ts, and the contract suite recomputes eventHash() on every event it reads back.
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
    const meta: Record<string, unknown> = { ...e.meta, prevHash: prev };
    // eventHash() leaves meta.hash out; a caller's stray one must not be hashed either.
    if ('hash' in meta) delete meta.hash;
    const data = canonicalJson(e.data);
    const metaJson = canonicalJson(meta);
    const body =
      '{"data":' +
      data +
      ',"eventId":' +
      JSON.stringify(e.eventId) +
      ',"meta":' +
      metaJson +
      ',"revision":' +
      revision +
      ',"streamId":' +
      streamJson +
      ',"type":' +
      JSON.stringify(e.type) +
      '}';
    const hash = sha256Hex(prev + body);
    rows[i] = [e.eventId, revision, e.type, data, metaJson.slice(0, -1) + ',"hash":"' + hash + '"}'];
    prev = hash;
  }
  return { rows, lastHash: prev };
}

/** One-shot crypto.hash (Node 20.12+) costs about half of createHash for inputs this small. */
const sha256Hex: (input: string) => string =
  typeof crypto.hash === 'function'
    ? (input) => crypto.hash('sha256', input, 'hex')
    : (input) => crypto.createHash('sha256').update(input).digest('hex');

import { RecordedEvent } from '../envelope';
import { eventBody } from '../hash-chain';
import { leafHash } from './tree-math';

/**
 * The bytes of an event's leaf: the canonical JSON (RFC 8785) of {event, hash, position}, where `event` is
 * the body the stream's chain hashes (eventId, type, streamId, revision, data, meta with prevHash) and `hash`
 * the event's own hash. So the leaf covers every stored column and the event's place in the global log: an
 * edit, a move to another position (a swap) or a rewrite with fresh chain hashes all change it. Keys are in
 * sorted order, so this string is canonical as written.
 */
export function leafText(body: string, hash: string, position: number): string {
  return '{"event":' + body + ',"hash":' + JSON.stringify(hash) + ',"position":' + position + '}';
}

/** The leaf hash of a decoded event (exports, the generic adapters); the SQLite adapter builds the same text from its columns. */
export function eventLeafHash(e: RecordedEvent): Buffer {
  return leafHash(leafText(eventBody(e), e.meta.hash, e.position));
}

import type { AppendStreamState, CurrentStreamState, EventData, Position } from '@kurrent/kurrentdb-client';
import { EventMeta, JsonObject, NewEvent, RecordedEvent } from '../../envelope';
import { ExpectedRevision } from '../../event-store.port';
import { kurrent } from './kurrentdb.client';

export type StreamState = number | 'no-stream';

/** What the client hands back for a stored event, reduced to the fields we read (both the gRPC and the Rust paths). */
export interface StoredEventLike {
  streamId: string;
  id: string;
  revision: bigint;
  type: string;
  isJson: boolean;
  data: unknown;
  metadata: unknown;
  position?: Position;
}

/** Raised when a stream we read holds an event this adapter did not write: its chain cannot be verified. */
export class NotAnAccordEventError extends Error {
  readonly code = 'event-store.not-an-accord-event';
  constructor(streamId: string, revision: bigint, why: string) {
    super(`stream ${streamId} revision ${revision}: ${why}`);
    this.name = 'NotAnAccordEventError';
  }
}

const LOWER_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const SHA256_HEX = /^[0-9a-f]{64}$/;

/**
 * KurrentDB stores event ids as UUIDs and gives them back in lower-case canonical form; the hash covers the
 * eventId, so anything else would not read back byte-for-byte and the chain would fail verification.
 */
export function assertStorableEventIds(events: readonly NewEvent[]): void {
  for (const e of events) {
    if (!LOWER_UUID.test(e.eventId))
      throw new TypeError(`event id ${JSON.stringify(e.eventId)} is not a lower-case UUID`);
  }
}

export function isAccordEvent(streamId: string, type: string, prefixes: readonly string[]): boolean {
  if (streamId.startsWith('$') || type.startsWith('$')) return false;
  return prefixes.some((p) => streamId.startsWith(p));
}

export function satisfiesExpected(expected: ExpectedRevision, actual: StreamState): boolean {
  if (expected === 'any') return true;
  return expected === actual;
}

/** We always state the exact state we read, never ANY: the chain must not fork and the server's duplicate check needs it. */
export function toStreamState(actual: StreamState): AppendStreamState {
  return actual === 'no-stream' ? kurrent().NO_STREAM : BigInt(actual);
}

export function fromCurrentState(current: CurrentStreamState): StreamState {
  return typeof current === 'bigint' ? Number(current) : 'no-stream';
}

/**
 * Our numeric position is the event's $all commit position. Every gRPC append is an implicit transaction in
 * which each event's prepare position equals its commit position (its own log position), so the number alone
 * resumes a read exactly. JS numbers hold integers exactly up to 2^53 - 1 (8 PiB of transaction log); past
 * that we refuse rather than round, since a rounded checkpoint would skip or repeat events.
 */
export function positionToNumber(position: Position | undefined, where: string): number {
  if (!position)
    throw new Error(
      `${where}: the server reported no $all position (KurrentDB / EventStoreDB 22.6+ is required)`,
    );
  if (position.commit < 0n || position.commit > BigInt(Number.MAX_SAFE_INTEGER)) {
    // Servers older than 22.6 send 2^64 - 1 for positions they do not know on stream reads.
    throw new RangeError(`${where}: $all position ${position.commit} is unknown or beyond 2^53 - 1`);
  }
  return Number(position.commit);
}

export function numberToPosition(position: number): Position {
  if (!Number.isSafeInteger(position) || position < 0)
    throw new RangeError(`position ${position} is not a safe non-negative integer`);
  const p = BigInt(position);
  return { commit: p, prepare: p };
}

/**
 * The store's metadata is our meta as-is (so the hash recomputes from what is read), plus KurrentDB's own
 * `$correlationId`/`$causationId` so its $by_correlation_id projection works; `$` keys are dropped on read.
 */
export function encodeMetadata(meta: EventMeta): JsonObject {
  const encoded: JsonObject = {};
  for (const [k, v] of Object.entries(meta)) if (v !== undefined) encoded[k] = v as JsonObject[string];
  encoded.$correlationId = meta.correlationId;
  if (meta.causationId !== undefined) encoded.$causationId = meta.causationId;
  return encoded;
}

export function toEventData(sealed: Omit<RecordedEvent, 'position'>): EventData {
  return kurrent().jsonEvent({
    id: sealed.eventId,
    type: sealed.type,
    data: sealed.data,
    metadata: encodeMetadata(sealed.meta),
  });
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

export function decodeMetadata(raw: unknown, streamId: string, revision: bigint): EventMeta {
  if (!isPlainObject(raw))
    throw new NotAnAccordEventError(streamId, revision, 'metadata is not a JSON object');
  const meta: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(raw)) if (!k.startsWith('$')) meta[k] = v;
  const ok =
    typeof meta.prevHash === 'string' &&
    SHA256_HEX.test(meta.prevHash) &&
    typeof meta.hash === 'string' &&
    SHA256_HEX.test(meta.hash) &&
    typeof meta.occurredAt === 'string' &&
    typeof meta.correlationId === 'string' &&
    isPlainObject(meta.actor);
  if (!ok) throw new NotAnAccordEventError(streamId, revision, 'metadata lacks the envelope fields');
  return meta as unknown as EventMeta;
}

/** `position` falls back to the resolved event's commit position, which the $all paths always carry. */
export function toRecordedEvent(e: StoredEventLike, commitPosition?: bigint): RecordedEvent {
  if (!e.isJson || !isPlainObject(e.data))
    throw new NotAnAccordEventError(e.streamId, e.revision, 'data is not a JSON object');
  const position =
    e.position ??
    (commitPosition === undefined ? undefined : { commit: commitPosition, prepare: commitPosition });
  return {
    eventId: e.id,
    type: e.type,
    streamId: e.streamId,
    revision: Number(e.revision),
    data: e.data as JsonObject,
    meta: decodeMetadata(e.metadata, e.streamId, e.revision),
    position: positionToNumber(position, `stream ${e.streamId} revision ${e.revision}`),
  };
}

export type StoredRetryMatch = { kind: 'none' } | { kind: 'stored' } | { kind: 'conflict'; eventId: string };

/**
 * Whether `stored` (the events at the revisions a first attempt would have taken) is that attempt: the same
 * ids, in order, with the same types. Data is not compared, as in the SQLite adapter: a retried request may
 * recompute time-derived fields (occurredAt, retainUntil) but states the same facts.
 */
export function matchStoredRetry(
  stored: readonly RecordedEvent[],
  events: readonly NewEvent[],
): StoredRetryMatch {
  if (events.length === 0 || stored[0]?.eventId !== events[0]!.eventId) return { kind: 'none' };
  for (let i = 0; i < events.length; i++) {
    const s = stored[i];
    const e = events[i]!;
    if (!s || s.eventId !== e.eventId || s.type !== e.type) return { kind: 'conflict', eventId: e.eventId };
  }
  return { kind: 'stored' };
}

import { canonicalJson } from './canonical-json';
import { EventMeta, EventMetaInput, GENESIS_HASH, JsonObject, NewEvent, RecordedEvent } from './envelope';
import { sha256Hex } from './sha256';

type SealableEvent = {
  eventId: string;
  type: string;
  streamId: string;
  revision: number;
  data: JsonObject;
  meta: EventMetaInput & { prevHash: string };
};

/** The canonical JSON of {eventId,type,streamId,revision,data,meta without hash}: what the chain hashes. */
export function eventBody(e: SealableEvent): string {
  const { eventId, type, streamId, revision, data } = e;
  const { hash: _ignored, ...metaWithoutHash } = e.meta as EventMeta;
  return canonicalJson({ eventId, type, streamId, revision, data, meta: metaWithoutHash });
}

/** hash = sha256(prevHash + canonical JSON of {eventId,type,streamId,revision,data,meta without hash}). */
export function eventHash(e: SealableEvent): string {
  return sha256Hex(e.meta.prevHash + eventBody(e));
}

/** Seals new events onto a stream whose last event has `prevHash` at revision `firstRevision - 1`. */
export function chainEvents(
  streamId: string,
  firstRevision: number,
  prevHash: string,
  events: readonly NewEvent[],
): Omit<RecordedEvent, 'position'>[] {
  let prev = prevHash;
  return events.map((e, i) => {
    const meta = { ...e.meta, prevHash: prev };
    const sealed = {
      eventId: e.eventId,
      type: e.type,
      streamId,
      revision: firstRevision + i,
      data: e.data,
      meta,
    };
    const hash = eventHash(sealed);
    prev = hash;
    return { ...sealed, meta: { ...meta, hash } };
  });
}

export interface ChainBreak {
  eventId: string;
  streamId: string;
  revision: number;
  position: number;
  reason: 'hash-mismatch' | 'prev-hash-mismatch' | 'revision-gap';
}

/**
 * Verifies events in global order, keeping the last hash of each stream. Feed it every event once; it
 * returns the first break it meets. Memory is one entry per stream.
 */
export class ChainVerifier {
  private readonly heads = new Map<string, { revision: number; hash: string | undefined }>();
  eventsChecked = 0;
  firstBreak: ChainBreak | undefined;

  get streams(): number {
    return this.heads.size;
  }

  check(e: RecordedEvent): ChainBreak | undefined {
    this.eventsChecked++;
    const head = this.heads.get(e.streamId);
    const expectedPrev = head ? head.hash : GENESIS_HASH;
    const expectedRevision = head ? head.revision + 1 : 0;
    let reason: ChainBreak['reason'] | undefined;
    let hash: string | undefined;
    try {
      hash = e.meta.hash;
      if (e.revision !== expectedRevision) reason = 'revision-gap';
      else if (e.meta.prevHash !== expectedPrev) reason = 'prev-hash-mismatch';
      else if (eventHash(e) !== hash) reason = 'hash-mismatch';
    } catch {
      // Stored content that no longer decodes (a store may decode on first read) is not what was sealed.
      reason = e.revision !== expectedRevision ? 'revision-gap' : 'hash-mismatch';
    }
    // Keep following the stream from the stored hash so one bad event is named once, not every one after it.
    this.advance(head, e.streamId, e.revision, hash);
    if (!reason) return undefined;
    const found: ChainBreak = {
      eventId: e.eventId,
      streamId: e.streamId,
      revision: e.revision,
      position: e.position,
      reason,
    };
    this.firstBreak ??= { ...found };
    return found;
  }

  /**
   * check() for a store that keeps the exact text it hashed (the SQLite adapter), without decoding and
   * re-canonicalising: `body` is that text put back together from the stored columns and `hash` the stored
   * hash. It passes here only if sha256(the stream's previous hash + body) is `hash`, which (sha256 being
   * collision resistant) means every column that went into it is byte for byte what was sealed, prevHash
   * included. Anything else, including text that no longer has the sealed shape (undefined), is settled by
   * check() on the decoded event, so the verdict is always check()'s.
   */
  checkStored<R>(
    streamId: string,
    revision: number,
    body: string | undefined,
    hash: string | undefined,
    row: R,
    decode: (row: R) => RecordedEvent,
  ): ChainBreak | undefined {
    const head = this.heads.get(streamId);
    const prev = head ? head.hash : GENESIS_HASH;
    if (
      body !== undefined &&
      hash !== undefined &&
      prev !== undefined &&
      revision === (head ? head.revision + 1 : 0) &&
      sha256Hex(prev + body) === hash
    ) {
      this.eventsChecked++;
      this.advance(head, streamId, revision, hash);
      return undefined;
    }
    return this.check(decode(row));
  }

  private advance(
    head: { revision: number; hash: string | undefined } | undefined,
    streamId: string,
    revision: number,
    hash: string | undefined,
  ): void {
    if (head) {
      head.revision = revision;
      head.hash = hash;
    } else this.heads.set(streamId, { revision, hash });
  }
}

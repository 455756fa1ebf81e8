import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { EventMeta, EventMetaInput, GENESIS_HASH, JsonObject, NewEvent, RecordedEvent } from './envelope';

/** hash = sha256(prevHash + canonical JSON of {eventId,type,streamId,revision,data,meta without hash}). */
export function eventHash(e: {
  eventId: string;
  type: string;
  streamId: string;
  revision: number;
  data: JsonObject;
  meta: EventMetaInput & { prevHash: string };
}): string {
  const { eventId, type, streamId, revision, data } = e;
  const { hash: _ignored, ...metaWithoutHash } = e.meta as EventMeta;
  const body = canonicalJson({ eventId, type, streamId, revision, data, meta: metaWithoutHash });
  return createHash('sha256').update(e.meta.prevHash).update(body).digest('hex');
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
    const sealed = { eventId: e.eventId, type: e.type, streamId, revision: firstRevision + i, data: e.data, meta };
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
  private readonly heads = new Map<string, { revision: number; hash: string }>();
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
    if (e.revision !== expectedRevision) reason = 'revision-gap';
    else if (e.meta.prevHash !== expectedPrev) reason = 'prev-hash-mismatch';
    else if (eventHash(e) !== e.meta.hash) reason = 'hash-mismatch';
    // Keep following the stream from the stored hash so one bad event is named once, not every one after it.
    this.heads.set(e.streamId, { revision: e.revision, hash: e.meta.hash });
    if (reason && !this.firstBreak) {
      this.firstBreak = { eventId: e.eventId, streamId: e.streamId, revision: e.revision, position: e.position, reason };
    }
    return reason ? { eventId: e.eventId, streamId: e.streamId, revision: e.revision, position: e.position, reason } : undefined;
  }
}

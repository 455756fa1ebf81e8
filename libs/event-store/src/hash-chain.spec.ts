import { createHash } from 'node:crypto';
import { canonicalJson } from './canonical-json';
import { GENESIS_HASH, NewEvent, RecordedEvent } from './envelope';
import { ChainVerifier, chainEvents, eventHash } from './hash-chain';

function newEvent(i: number): NewEvent {
  return {
    eventId: `00000000-0000-7000-8000-${String(i).padStart(12, '0')}`,
    type: 'DocumentAccessed',
    data: { n: i, client: { ip: '192.0.2.1', country: 'GB' } },
    meta: {
      occurredAt: '2025-01-02T03:04:05.678Z',
      actor: { userId: 'u', orgId: 'o', role: 'practitioner' },
      correlationId: 'c',
    },
  };
}

function recorded(streamId: string, count: number, firstPosition = 1): RecordedEvent[] {
  const events = Array.from({ length: count }, (_, i) => newEvent(i));
  return chainEvents(streamId, 0, GENESIS_HASH, events).map((e, i) => ({
    ...e,
    position: firstPosition + i,
  }));
}

/** Verifies `events` in order and returns every break the verifier reports. */
function breaks(events: RecordedEvent[]) {
  const v = new ChainVerifier();
  return { found: events.map((e) => v.check(e)).filter(Boolean), verifier: v };
}

describe('hash chain', () => {
  it('hashes sha256(prevHash + canonical JSON of the event without meta.hash), as docs/architecture.md §5.3 says', () => {
    const [e] = chainEvents('document-1', 0, GENESIS_HASH, [newEvent(0)]);
    const { hash, ...metaWithoutHash } = e!.meta;
    const body = canonicalJson({
      eventId: e!.eventId,
      type: e!.type,
      streamId: 'document-1',
      revision: 0,
      data: e!.data,
      meta: metaWithoutHash,
    });
    expect(hash).toBe(
      createHash('sha256')
        .update(GENESIS_HASH + body)
        .digest('hex'),
    );
    expect(eventHash(e!)).toBe(hash);
  });

  it('starts a stream at 64 zeros and links each event to the previous hash', () => {
    const events = recorded('document-1', 4);
    expect(GENESIS_HASH).toBe('0'.repeat(64));
    expect(events[0]!.meta.prevHash).toBe(GENESIS_HASH);
    for (let i = 1; i < 4; i++) expect(events[i]!.meta.prevHash).toBe(events[i - 1]!.meta.hash);
    expect(events.map((e) => e.revision)).toEqual([0, 1, 2, 3]);
  });

  it('continues a chain across appends as if sealed in one', () => {
    const all = chainEvents('s', 0, GENESIS_HASH, [newEvent(0), newEvent(1), newEvent(2)]);
    const head = chainEvents('s', 0, GENESIS_HASH, [newEvent(0)]);
    const tail = chainEvents('s', 1, head[0]!.meta.hash, [newEvent(1), newEvent(2)]);
    expect([...head, ...tail]).toEqual(all);
  });

  it('changes the hash when any hashed field changes, and not with key order', () => {
    const [e] = recorded('s', 1);
    const base = eventHash(e!);
    expect(eventHash({ ...e!, revision: 1 })).not.toBe(base);
    expect(eventHash({ ...e!, streamId: 't' })).not.toBe(base);
    expect(eventHash({ ...e!, type: 'AccessDenied' })).not.toBe(base);
    expect(eventHash({ ...e!, data: { ...e!.data, n: 1 } })).not.toBe(base);
    expect(eventHash({ ...e!, meta: { ...e!.meta, correlationId: 'd' } })).not.toBe(base);
    expect(eventHash({ ...e!, meta: { ...e!.meta, prevHash: '1'.repeat(64) } })).not.toBe(base);
    const otherHash = { ...e!.meta, hash: 'ignored' };
    expect(eventHash({ ...e!, meta: otherHash })).toBe(base);
    expect(eventHash({ ...e!, data: { client: { country: 'GB', ip: '192.0.2.1' }, n: 0 } })).toBe(base);
    expect(eventHash({ ...e!, position: 99 } as RecordedEvent)).toBe(base);
  });

  it('does not keep the caller-supplied meta.hash or mutate the input events', () => {
    const input = newEvent(0);
    const frozen = JSON.stringify(input);
    const [e] = chainEvents('s', 0, GENESIS_HASH, [
      { ...input, meta: { ...input.meta, hash: 'forged' } as NewEvent['meta'] },
    ]);
    expect(e!.meta.hash).toBe(eventHash(e!));
    expect(JSON.stringify(input)).toBe(frozen);
  });

  describe('ChainVerifier', () => {
    it('passes interleaved intact streams and counts events and streams', () => {
      const a = recorded('a', 3, 1);
      const b = recorded('b', 2, 4);
      const { found, verifier } = breaks([a[0]!, b[0]!, a[1]!, b[1]!, a[2]!]);
      expect(found).toEqual([]);
      expect(verifier.eventsChecked).toBe(5);
      expect(verifier.streams).toBe(2);
      expect(verifier.firstBreak).toBeUndefined();
    });

    it('names an event whose content was altered, once, with its position', () => {
      const events = recorded('a', 4);
      events[1] = { ...events[1]!, data: { ...events[1]!.data, n: 42 } };
      const { found, verifier } = breaks(events);
      expect(found).toEqual([
        { eventId: events[1]!.eventId, streamId: 'a', revision: 1, position: 2, reason: 'hash-mismatch' },
      ]);
      expect(verifier.firstBreak).toEqual(found[0]);
    });

    it('names an event whose prevHash does not link to its predecessor', () => {
      const events = recorded('a', 3);
      const forged = { ...events[2]!.meta, prevHash: GENESIS_HASH };
      events[2] = { ...events[2]!, meta: { ...forged, hash: eventHash({ ...events[2]!, meta: forged }) } };
      expect(breaks(events).found).toMatchObject([{ revision: 2, reason: 'prev-hash-mismatch' }]);
    });

    it('names the event after a removed one as a revision gap', () => {
      const events = recorded('a', 3);
      expect(breaks([events[0]!, events[2]!]).found).toMatchObject([{ revision: 2, reason: 'revision-gap' }]);
      expect(breaks(events.slice(1)).found).toMatchObject([{ revision: 1, reason: 'revision-gap' }]);
    });

    describe('checkStored (a store that keeps the text it hashed)', () => {
      /** The text eventHash() hashes after prevHash, as such a store keeps it. */
      const bodyOf = (e: RecordedEvent): string => {
        const { hash: _hash, ...metaWithoutHash } = e.meta;
        const { eventId, type, streamId, revision, data } = e;
        return canonicalJson({ eventId, type, streamId, revision, data, meta: metaWithoutHash });
      };
      const undecodable = (): RecordedEvent => {
        throw new Error('decoded an event that verified from its stored text');
      };

      it('passes an event whose text hashes to its stored hash from the stream head, without decoding it', () => {
        const events = recorded('a', 3);
        const v = new ChainVerifier();
        for (const e of events) {
          expect(v.checkStored('a', e.revision, bodyOf(e), e.meta.hash, e, undecodable)).toBeUndefined();
        }
        expect([v.eventsChecked, v.streams, v.firstBreak]).toEqual([3, 1, undefined]);
      });

      it("leaves anything else to check() on the decoded event, so the verdict is check()'s", () => {
        const events = recorded('a', 4);
        const altered = { ...events[1]!, data: { ...events[1]!.data, n: 42 } };
        const v = new ChainVerifier();
        const found = [
          v.checkStored('a', 0, bodyOf(events[0]!), events[0]!.meta.hash, events[0]!, undecodable),
          // The stored text no longer hashes to the stored hash.
          v.checkStored('a', 1, bodyOf(altered), altered.meta.hash, altered, (e) => e),
          // No sealed shape at all: the store could not even rebuild the text.
          v.checkStored('a', 2, undefined, undefined, events[2]!, (e) => e),
          // Intact, but out of turn.
          v.checkStored(
            'a',
            9,
            bodyOf(events[3]!),
            events[3]!.meta.hash,
            { ...events[3]!, revision: 9 },
            (e) => e,
          ),
        ];
        const generic = new ChainVerifier();
        const expected = [events[0]!, altered, events[2]!, { ...events[3]!, revision: 9 }].map((e) =>
          generic.check(e),
        );
        expect(found).toEqual(expected);
        expect(expected.filter(Boolean)).toHaveLength(2);
        expect(v.eventsChecked).toBe(4);
        expect(v.firstBreak).toMatchObject({ revision: 1, reason: 'hash-mismatch' });
      });
    });

    it('keeps the first break when there are several', () => {
      const events = recorded('a', 4);
      events[1] = { ...events[1]!, type: 'X' };
      events[3] = { ...events[3]!, type: 'Y' };
      const { found, verifier } = breaks(events);
      expect(found.map((b) => b!.revision)).toEqual([1, 3]);
      expect(verifier.firstBreak?.revision).toBe(1);
    });
  });
});

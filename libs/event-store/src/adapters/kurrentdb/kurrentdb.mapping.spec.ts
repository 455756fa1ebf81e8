import { NO_STREAM } from '@kurrent/kurrentdb-client';
import { EventMeta, GENESIS_HASH, NewEvent, RecordedEvent } from '../../envelope';
import { ChainVerifier, chainEvents } from '../../hash-chain';
import { uuidv5, uuidv7 } from '../../ids';
import {
  assertStorableEventIds,
  decodeMetadata,
  encodeMetadata,
  fromCurrentState,
  isAccordEvent,
  matchStoredRetry,
  NotAnAccordEventError,
  numberToPosition,
  positionToNumber,
  satisfiesExpected,
  StoredEventLike,
  toEventData,
  toRecordedEvent,
  toStreamState,
} from './kurrentdb.mapping';

const meta = (over: Partial<EventMeta> = {}): EventMeta => ({
  occurredAt: '2025-01-02T03:04:05.000Z',
  actor: { userId: 'u1', orgId: 'o1', role: 'caseworker' },
  correlationId: 'c1',
  prevHash: GENESIS_HASH,
  hash: 'a'.repeat(64),
  ...over,
});

const newEvent = (type: string, data: NewEvent['data'] = {}): NewEvent => ({
  eventId: uuidv7(),
  type,
  data,
  meta: { occurredAt: '2025-01-02T03:04:05.000Z', actor: { system: 'retention' }, correlationId: 'corr' },
});

/** What the client does to an event on its way in and out: JSON.stringify on append, JSON.parse on read. */
function storedAs(sealed: Omit<RecordedEvent, 'position'>, commit: bigint): StoredEventLike {
  const data = toEventData(sealed);
  return {
    streamId: sealed.streamId,
    id: data.id,
    revision: BigInt(sealed.revision),
    type: data.type,
    isJson: data.contentType === 'application/json',
    data: JSON.parse(JSON.stringify(data.data)),
    metadata: JSON.parse(JSON.stringify(data.metadata)),
    position: { commit, prepare: commit },
  };
}

describe('kurrentdb mapping', () => {
  it('checks an expected revision against the stream state read before the append', () => {
    expect(satisfiesExpected('any', 'no-stream')).toBe(true);
    expect(satisfiesExpected('any', 4)).toBe(true);
    expect(satisfiesExpected('no-stream', 'no-stream')).toBe(true);
    expect(satisfiesExpected('no-stream', 0)).toBe(false);
    expect(satisfiesExpected(4, 4)).toBe(true);
    expect(satisfiesExpected(3, 4)).toBe(false);
    expect(satisfiesExpected(0, 'no-stream')).toBe(false);
  });

  it('always states an exact stream state to the server, never ANY', () => {
    expect(toStreamState('no-stream')).toBe(NO_STREAM);
    expect(toStreamState(0)).toBe(0n);
    expect(toStreamState(41)).toBe(41n);
    expect(fromCurrentState(NO_STREAM)).toBe('no-stream');
    expect(fromCurrentState(7n)).toBe(7);
  });

  it('maps a numeric checkpoint to a position whose commit and prepare are equal', () => {
    expect(numberToPosition(0)).toEqual({ commit: 0n, prepare: 0n });
    expect(numberToPosition(123_456)).toEqual({ commit: 123_456n, prepare: 123_456n });
    expect(() => numberToPosition(-1)).toThrow(RangeError);
    expect(() => numberToPosition(1.5)).toThrow(RangeError);
    expect(() => numberToPosition(2 ** 53)).toThrow(RangeError);
  });

  it('refuses a commit position a JS number cannot hold exactly, or one the server did not report', () => {
    expect(positionToNumber({ commit: 9_007_199_254_740_991n, prepare: 9_007_199_254_740_991n }, 'x')).toBe(
      Number.MAX_SAFE_INTEGER,
    );
    expect(() => positionToNumber({ commit: 9_007_199_254_740_992n, prepare: 0n }, 'x')).toThrow(RangeError);
    // What servers before 22.6 send on stream reads.
    expect(() => positionToNumber({ commit: 18_446_744_073_709_551_615n, prepare: 0n }, 'x')).toThrow(
      RangeError,
    );
    expect(() => positionToNumber(undefined, 'x')).toThrow(/no \$all position/);
  });

  it('keeps the hash chain verifiable through the JSON round trip of the client', () => {
    const events = [
      newEvent('DocumentShared', { title: 'ü "x"', size: 3, tags: ['a', 'b'], nested: { z: 1, a: null } }),
      newEvent('DocumentAccessed'),
    ];
    events[1]!.meta.client = { ip: '192.0.2.1', country: 'GB' };
    events[1]!.meta.causationId = events[0]!.eventId;
    const sealed = chainEvents('document-1', 0, GENESIS_HASH, events);
    const read = sealed.map((s, i) => toRecordedEvent(storedAs(s, BigInt(1000 + i * 200))));
    expect(read.map((e) => e.position)).toEqual([1000, 1200]);
    expect(read.map(({ position: _p, ...rest }) => rest)).toEqual(sealed);
    const verifier = new ChainVerifier();
    for (const e of read) expect(verifier.check(e)).toBeUndefined();
  });

  it('a changed byte in the stored data breaks the chain after decoding', () => {
    const sealed = chainEvents('document-1', 0, GENESIS_HASH, [newEvent('DocumentShared', { title: 'a' })]);
    const stored = storedAs(sealed[0]!, 10n);
    (stored.data as { title: string }).title = 'b';
    expect(new ChainVerifier().check(toRecordedEvent(stored))).toMatchObject({ reason: 'hash-mismatch' });
  });

  it('adds KurrentDB correlation keys to the metadata and strips them on read', () => {
    const m = meta({ causationId: 'cause', client: undefined });
    const encoded = encodeMetadata(m);
    expect(encoded).toMatchObject({ $correlationId: 'c1', $causationId: 'cause' });
    expect('client' in encoded).toBe(false);
    expect(decodeMetadata(JSON.parse(JSON.stringify(encoded)), 's', 0n)).toEqual({
      ...meta(),
      causationId: 'cause',
    });
    expect(encodeMetadata(meta())).not.toHaveProperty('$causationId');
  });

  it('rejects an event this adapter did not write instead of returning an unverifiable envelope', () => {
    expect(() => decodeMetadata(undefined, 's', 0n)).toThrow(NotAnAccordEventError);
    expect(() => decodeMetadata(new Uint8Array([1]), 's', 0n)).toThrow(NotAnAccordEventError);
    expect(() => decodeMetadata({ ...meta(), hash: 'nope' }, 's', 0n)).toThrow(/envelope fields/);
    const { actor: _a, ...noActor } = meta();
    expect(() => decodeMetadata(noActor, 's', 0n)).toThrow(NotAnAccordEventError);
    const sealed = chainEvents('document-1', 0, GENESIS_HASH, [newEvent('DocumentShared')])[0]!;
    expect(() => toRecordedEvent({ ...storedAs(sealed, 1n), isJson: false, data: new Uint8Array() })).toThrow(
      /not a JSON object/,
    );
    expect(() => toRecordedEvent({ ...storedAs(sealed, 1n), data: [1, 2] })).toThrow(NotAnAccordEventError);
  });

  it('takes the resolved event commit position when the record carries none', () => {
    const sealed = chainEvents('user-1', 0, GENESIS_HASH, [newEvent('UserEnrolled')])[0]!;
    const { position: _p, ...noPosition } = storedAs(sealed, 1n);
    expect(toRecordedEvent(noPosition, 77n).position).toBe(77);
    expect(() => toRecordedEvent(noPosition)).toThrow(/no \$all position/);
  });

  it('counts only our stream families, never system streams or $-typed events', () => {
    const prefixes = ['organisation-', 'document-', 'subject-request-'];
    expect(isAccordEvent('document-9', 'DocumentShared', prefixes)).toBe(true);
    expect(isAccordEvent('subject-request-1', 'SubjectRequestReceived', prefixes)).toBe(true);
    expect(isAccordEvent('$stats-127.0.0.1:2113', 'StatsCollected', prefixes)).toBe(false);
    expect(isAccordEvent('$$document-9', '$metadata', prefixes)).toBe(false);
    expect(isAccordEvent('document-9', '$>', prefixes)).toBe(false);
    expect(isAccordEvent('orders-1', 'OrderPlaced', prefixes)).toBe(false);
  });

  it('accepts only lower-case UUID event ids, which KurrentDB gives back unchanged', () => {
    expect(() =>
      assertStorableEventIds([{ ...newEvent('A'), eventId: uuidv5('k:0') }, newEvent('B')]),
    ).not.toThrow();
    expect(() => assertStorableEventIds([{ ...newEvent('A'), eventId: uuidv7().toUpperCase() }])).toThrow(
      TypeError,
    );
    expect(() => assertStorableEventIds([{ ...newEvent('A'), eventId: 'e1' }])).toThrow(TypeError);
  });

  describe('recognising a retried append', () => {
    const batch = [newEvent('DocumentShared', { v: 1 }), newEvent('DocumentAccessed')];
    const stored = chainEvents('document-1', 3, GENESIS_HASH, batch).map((s, i) => ({
      ...s,
      position: 100 + i,
    }));

    it('is a retry when the same ids and types sit where the first attempt put them', () => {
      expect(matchStoredRetry(stored, batch)).toEqual({ kind: 'stored' });
      // Time-derived data may be recomputed on a retry: it is still the same append.
      expect(matchStoredRetry(stored, [{ ...batch[0]!, data: { v: 2 } }, batch[1]!])).toEqual({
        kind: 'stored',
      });
    });

    it('is not a retry when the first id differs', () => {
      expect(matchStoredRetry(stored, [newEvent('DocumentShared')])).toEqual({ kind: 'none' });
      expect(matchStoredRetry([], batch)).toEqual({ kind: 'none' });
    });

    it('is an id reused for a different event when a type or a later id differs', () => {
      expect(matchStoredRetry(stored, [{ ...batch[0]!, type: 'AccessDenied' }, batch[1]!])).toEqual({
        kind: 'conflict',
        eventId: batch[0]!.eventId,
      });
      const other = newEvent('DocumentAccessed');
      expect(matchStoredRetry(stored, [batch[0]!, other])).toEqual({
        kind: 'conflict',
        eventId: other.eventId,
      });
      expect(matchStoredRetry(stored.slice(0, 1), batch)).toEqual({
        kind: 'conflict',
        eventId: batch[1]!.eventId,
      });
    });
  });
});

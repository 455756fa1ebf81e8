import { GENESIS_HASH, RecordedEvent } from '../../envelope';
import { DuplicateEventIdError, WrongExpectedRevisionError } from '../../errors';
import { makeEvents, streamId } from '../../event-store.contract';
import { ChainVerifier } from '../../hash-chain';
import { AppendBatchPlanner, StreamHead } from './postgres.append';
import { StoredEventId } from '../answer-retry';

/** A planner over a log whose head is `head`, with the given stream heads and stored ids. */
function planner(head = 0, heads = new Map<string, StreamHead>(), stored = new Map<string, StoredEventId>()) {
  let position = head;
  return new AppendBatchPlanner(heads, stored, () => ++position);
}

describe('AppendBatchPlanner (one batch decided in memory under the log-head lock)', () => {
  it('chains two appends to one stream within a batch, the second checked against the first', () => {
    const p = planner(10);
    const s = streamId();
    expect(p.plan({ streamId: s, events: makeEvents(2), expected: 'no-stream' })).toEqual({
      nextExpectedRevision: 1,
      position: 12,
      duplicate: false,
    });
    expect(() => p.plan({ streamId: s, events: makeEvents(1), expected: 'no-stream' })).toThrow(
      WrongExpectedRevisionError,
    );
    expect(p.plan({ streamId: s, events: makeEvents(1), expected: 1 })).toMatchObject({ position: 13 });
    expect(p.columns.position).toEqual([11, 12, 13]);
    expect(p.columns.revision).toEqual([0, 1, 2]);
    const meta = p.columns.meta.map((m) => JSON.parse(m) as { prevHash: string; hash: string });
    expect(meta[0]!.prevHash).toBe(GENESIS_HASH);
    expect(meta[1]!.prevHash).toBe(meta[0]!.hash);
    expect(meta[2]!.prevHash).toBe(meta[1]!.hash);
    expect(p.touched.get(s)).toEqual({ revision: 2, lastHash: meta[2]!.hash });
    const verifier = new ChainVerifier();
    p.columns.eventId.forEach((eventId, i) =>
      verifier.check({
        eventId,
        type: p.columns.type[i]!,
        streamId: s,
        revision: p.columns.revision[i]!,
        data: JSON.parse(p.columns.data[i]!),
        meta: meta[i]!,
        position: p.columns.position[i]!,
      } as RecordedEvent),
    );
    expect(verifier.firstBreak).toBeUndefined();
  });

  it('answers a retry of an append made earlier in the same batch as that append, writing nothing', () => {
    const p = planner();
    const s = streamId();
    const events = makeEvents(2);
    const first = p.plan({ streamId: s, events, expected: 'no-stream' });
    expect(p.plan({ streamId: s, events, expected: 'no-stream' })).toEqual({ ...first, duplicate: true });
    expect(p.plan({ streamId: s, events, expected: 'any' })).toEqual({ ...first, duplicate: true });
    expect(p.rowCount).toBe(2);
  });

  it('refuses an id reused by another append of the batch or of the stored log, consuming no position', () => {
    const stored = new Map<string, StoredEventId>();
    const [old] = makeEvents(1);
    stored.set(old!.eventId, { position: 5, streamId: 'document-x', revision: 0, type: old!.type });
    const p = planner(5, new Map([['document-x', { revision: 0, lastHash: 'f'.repeat(64) }]]), stored);
    const [a] = makeEvents(1);
    p.plan({ streamId: streamId(), events: [a!], expected: 'no-stream' });
    expect(() => p.plan({ streamId: streamId(), events: [a!], expected: 'any' })).toThrow(
      DuplicateEventIdError,
    );
    const [b] = makeEvents(1);
    expect(() => p.plan({ streamId: streamId(), events: [b!, old!], expected: 'no-stream' })).toThrow(
      expect.objectContaining({ eventId: old!.eventId }),
    );
    expect(() => p.plan({ streamId: streamId(), events: [b!, b!], expected: 'no-stream' })).toThrow(
      DuplicateEventIdError,
    );
    expect(p.plan({ streamId: streamId(), events: [b!], expected: 'no-stream' })).toMatchObject({
      position: 7,
    });
    expect(p.columns.position).toEqual([6, 7]);
  });
});

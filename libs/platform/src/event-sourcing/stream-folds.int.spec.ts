import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventMetaInput, SqliteEventStore } from '@accord/event-store';
import { StreamDecider } from './command-runner';
import { StreamFolds } from './stream-folds';

type Granted = { type: 'AccessGranted'; data: { to: string } };
type Withdrawn = { type: 'AccessWithdrawn'; data: { from: string } };
type GrantEvent = Granted | Withdrawn;
type Grants = { holders: string[]; folds: number };

const grants: StreamDecider<Grants, never, GrantEvent> = {
  initialState: () => ({ holders: [], folds: 0 }),
  evolve: (s, e) => ({
    holders:
      e.type === 'AccessGranted' ? [...s.holders, e.data.to] : s.holders.filter((h) => h !== e.data.from),
    folds: s.folds + 1,
  }),
  decide: () => [],
};

const meta: EventMetaInput = {
  occurredAt: '2026-12-07T05:00:00.000Z',
  actor: { system: 'test' },
  correlationId: 'c-1',
};

describe('StreamFolds', () => {
  let dir: string;
  let store: SqliteEventStore;
  let folds: StreamFolds<Grants, never, GrantEvent>;
  const append = (type: GrantEvent['type'], who: string, expected: number | 'no-stream') =>
    store.append(
      'grants-1',
      [
        {
          eventId: `${type}-${who}-${expected}`,
          type,
          data: type === 'AccessGranted' ? { to: who } : { from: who },
          meta,
        },
      ],
      expected,
    );

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'accord-folds-'));
    store = await SqliteEventStore.open({ file: join(dir, 'events.db') });
    folds = new StreamFolds(store, grants);
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('sees a withdrawal appended by another writer after the stream was folded, on the next read', async () => {
    await append('AccessGranted', 'ann', 'no-stream');
    await append('AccessGranted', 'bob', 0);
    expect((await folds.current('grants-1')).state.holders).toEqual(['ann', 'bob']);
    // Written straight to the store, as another node or command would: nothing tells the folds.
    await append('AccessWithdrawn', 'ann', 1);
    const now = await folds.current('grants-1');
    expect(now.state.holders).toEqual(['bob']);
    expect(now.revision).toBe(2);
  });

  it('folds only the events appended since the last read, each once', async () => {
    await append('AccessGranted', 'ann', 'no-stream');
    await folds.current('grants-1');
    await append('AccessGranted', 'bob', 0);
    expect((await folds.current('grants-1')).state.folds).toBe(2);
    expect((await folds.current('grants-1')).state.folds).toBe(2);
  });

  it('answers the initial state for a stream with no events, and then folds its first event', async () => {
    expect(await folds.current('grants-1')).toEqual({
      state: { holders: [], folds: 0 },
      revision: -1,
      position: 0,
    });
    await append('AccessGranted', 'ann', 'no-stream');
    expect((await folds.current('grants-1')).state.holders).toEqual(['ann']);
  });

  it('keeps the later fold when two reads of one stream finish out of order', async () => {
    await append('AccessGranted', 'ann', 'no-stream');
    await append('AccessWithdrawn', 'ann', 0);
    const late = await folds.current('grants-1');
    folds.remember('grants-1', { state: { holders: ['ann'], folds: 1 }, revision: 0, position: 1 });
    expect(folds.remembered('grants-1')).toEqual(late);
    expect((await folds.current('grants-1')).state.holders).toEqual([]);
  });

  it('forgets the least recently used stream beyond its capacity, and folds it afresh when read again', async () => {
    const small = new StreamFolds(store, grants, 1);
    await append('AccessGranted', 'ann', 'no-stream');
    await store.append(
      'grants-2',
      [{ eventId: 'other', type: 'AccessGranted', data: { to: 'cat' }, meta }],
      'no-stream',
    );
    await small.current('grants-1');
    await small.current('grants-2');
    expect(small.remembered('grants-1')).toBeUndefined();
    expect((await small.current('grants-1')).state).toEqual({ holders: ['ann'], folds: 1 });
  });
});

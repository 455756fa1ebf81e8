import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { EventMetaInput, SqliteEventStore, WrongExpectedRevisionError } from '@accord/event-store';
import { runCommand, StreamDecider } from './command-runner';

type Opened = { type: 'TallyOpened'; data: { name: string } };
type Counted = { type: 'TallyCounted'; data: { by: number } };
type TallyEvent = Opened | Counted;
type TallyCommand = { type: 'Open'; name: string } | { type: 'Count'; by: number };
type Tally = { open: boolean; total: number };

const tally: StreamDecider<Tally, TallyCommand, TallyEvent> = {
  initialState: () => ({ open: false, total: 0 }),
  evolve: (s, e) => (e.type === 'TallyOpened' ? { ...s, open: true } : { ...s, total: s.total + e.data.by }),
  decide: (c, s) => {
    if (c.type === 'Open') {
      if (s.open) throw new Error('already open');
      return [{ type: 'TallyOpened', data: { name: c.name } }];
    }
    if (c.by === 0) return [];
    return [{ type: 'TallyCounted', data: { by: c.by } }];
  },
};

const meta: EventMetaInput = {
  occurredAt: '2026-11-23T10:00:00.000Z',
  actor: { system: 'test' },
  correlationId: 'c-1',
};

describe('runCommand', () => {
  let dir: string;
  let store: SqliteEventStore;
  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'accord-runner-'));
    store = await SqliteEventStore.open({ file: join(dir, 'events.db') });
  });
  afterEach(async () => {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('folds the stream, decides and appends at the expected revision', async () => {
    await runCommand(store, 'tally-1', tally, { type: 'Open', name: 't' }, { meta });
    const out = await runCommand(store, 'tally-1', tally, { type: 'Count', by: 5 }, { meta });
    expect(out.state).toEqual({ open: true, total: 5 });
    expect(out.revision).toBe(1);
    expect((await store.readStream('tally-1')).map((e) => e.type)).toEqual(['TallyOpened', 'TallyCounted']);
  });

  it('a retried request with the same Idempotency-Key answers as the first and appends nothing', async () => {
    const first = await runCommand(
      store,
      'tally-2',
      tally,
      { type: 'Open', name: 't' },
      { meta, idempotencyKey: 'k1' },
    );
    // Deciding again would throw "already open": the retry must be recognised before deciding.
    const retry = await runCommand(
      store,
      'tally-2',
      tally,
      { type: 'Open', name: 't' },
      { meta, idempotencyKey: 'k1' },
    );
    expect(retry.replayed).toBe(true);
    expect(retry.position).toBe(first.position);
    expect(retry.events).toEqual(first.events);
    expect(await store.readStream('tally-2')).toHaveLength(1);
  });

  it('the same key on another stream or scope is a different request', async () => {
    await runCommand(store, 'tally-3', tally, { type: 'Open', name: 't' }, { meta, idempotencyKey: 'k' });
    const other = await runCommand(
      store,
      'tally-4',
      tally,
      { type: 'Open', name: 't' },
      { meta, idempotencyKey: 'k' },
    );
    expect(other.replayed).toBe(false);
    await runCommand(
      store,
      'tally-3',
      tally,
      { type: 'Count', by: 1 },
      { meta, idempotencyKey: 'k', scope: 'count' },
    );
    expect(await store.readStream('tally-3')).toHaveLength(2);
  });

  it('a decision of no events appends nothing', async () => {
    await runCommand(store, 'tally-5', tally, { type: 'Open', name: 't' }, { meta });
    const out = await runCommand(store, 'tally-5', tally, { type: 'Count', by: 0 }, { meta });
    expect(out.events).toEqual([]);
    expect(await store.readStream('tally-5')).toHaveLength(1);
  });

  it('concurrent commands on one stream both land: the loser of the race re-reads and retries', async () => {
    await runCommand(store, 'tally-6', tally, { type: 'Open', name: 't' }, { meta });
    const outs = await Promise.all(
      [1, 2, 3].map((by) => runCommand(store, 'tally-6', tally, { type: 'Count', by }, { meta })),
    );
    expect(outs.map((o) => o.revision).sort()).toEqual([1, 2, 3]);
    expect(outs.find((o) => o.revision === 3)!.state.total).toBe(6);
  });

  it('gives up after three lost races and surfaces the concurrency error', async () => {
    await runCommand(store, 'tally-7', tally, { type: 'Open', name: 't' }, { meta });
    let appends = 0;
    const racing = Object.create(store) as SqliteEventStore;
    // Another writer sneaks in before each of our appends: the fault the retry loop exists for.
    racing.append = async (streamId, events, expected) => {
      appends++;
      await runCommand(store, streamId, tally, { type: 'Count', by: 1 }, { meta });
      return store.append(streamId, events, expected);
    };
    await expect(
      runCommand(racing, 'tally-7', tally, { type: 'Count', by: 9 }, { meta }),
    ).rejects.toBeInstanceOf(WrongExpectedRevisionError);
    expect(appends).toBe(3);
  });
});

import { fdatasync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { RecordedEvent } from '../../envelope';
import { EventStoreUnavailableError } from '../../errors';
import { makeEvents, streamId, until } from '../../event-store.contract';
import { SqliteEventStore } from './sqlite.event-store';
import { SyncFile } from './sqlite.wal-sync';

/**
 * The WAL syncs of a store, held until the test releases them (each then runs the real fdatasync) or fails
 * them: what the store may do while its commits are written but not yet durable.
 */
class HeldSyncs {
  private readonly held: { fd: number; resolve: () => void; reject: (e: unknown) => void }[] = [];
  calls = 0;

  readonly sync: SyncFile = (fd) =>
    new Promise<void>((resolve, reject) => {
      this.calls++;
      this.held.push({ fd, resolve, reject });
    });

  get waiting(): number {
    return this.held.length;
  }

  /** Completes the oldest held sync. */
  async release(): Promise<void> {
    const s = this.held.shift();
    if (!s) throw new Error('no sync is held');
    await promisify(fdatasync)(s.fd);
    s.resolve();
  }

  fail(error: unknown): void {
    const s = this.held.shift();
    if (!s) throw new Error('no sync is held');
    s.reject(error);
  }
}

/** A few event-loop turns: enough for anything not waiting on a sync to settle. */
async function turns(n = 5): Promise<void> {
  for (let i = 0; i < n; i++) await new Promise((r) => setImmediate(r));
}

/** Records whether a promise has settled, and how. */
function watch<T>(p: Promise<T>): { settled: boolean; value?: T; error?: unknown; done: Promise<void> } {
  const w: { settled: boolean; value?: T; error?: unknown; done: Promise<void> } = {
    settled: false,
    done: Promise.resolve(),
  };
  w.done = p.then(
    (value) => {
      w.settled = true;
      w.value = value;
    },
    (error: unknown) => {
      w.settled = true;
      w.error = error;
    },
  );
  return w;
}

describe('SqliteEventStore: the WAL sync off the event loop', () => {
  let dir: string;
  let file: string;
  let syncs: HeldSyncs;
  let store: SqliteEventStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-sqlite-sync-'));
    file = join(dir, 'events.db');
    syncs = new HeldSyncs();
    store = new SqliteEventStore({ file, pollIntervalMs: 20, syncWal: syncs.sync });
  });
  afterEach(async () => {
    // close() waits for the syncs of what it has committed: release them as they come.
    const closing = watch(store.close());
    while (!closing.settled) {
      if (syncs.waiting > 0) await syncs.release();
      else await turns(1);
    }
    await rm(dir, { recursive: true, force: true });
  });

  it('runs with synchronous=NORMAL: the store, not each COMMIT, syncs the WAL', () => {
    expect(store['db'].pragma('synchronous', { simple: true })).toBe(1);
    expect(store['db'].pragma('journal_mode', { simple: true })).toBe('wal');
  });

  it('does not settle an append while the sync that covers its commit is held', async () => {
    const s = streamId();
    const append = watch(store.append(s, makeEvents(2), 'no-stream'));
    await until(() => syncs.waiting === 1, 'the sync of the commit');
    await turns();
    // Committed (the batch ran) but not durable: not acknowledged.
    expect(store.stats.batches).toBe(1);
    expect(append.settled).toBe(false);
    await syncs.release();
    await append.done;
    expect(append.value).toMatchObject({ position: 2, nextExpectedRevision: 1 });
  });

  it('settles a refused append only after the sync too: its refusal tells of the commit before it', async () => {
    const s = streamId();
    const first = watch(store.append(s, makeEvents(1), 'no-stream'));
    const stale = watch(store.append(s, makeEvents(1), 'no-stream'));
    await until(() => syncs.waiting === 1, 'the sync of the commit');
    await turns();
    expect([first.settled, stale.settled]).toEqual([false, false]);
    await syncs.release();
    await Promise.all([first.done, stale.done]);
    expect(first.value).toMatchObject({ position: 1 });
    expect((stale.error as Error).name).toBe('WrongExpectedRevisionError');
  });

  it('shows no subscription, readAll, readStream or headPosition the event until its sync completes', async () => {
    const s = streamId();
    const first = store.append(s, makeEvents(1), 'no-stream');
    await until(() => syncs.waiting === 1, 'the sync of the first commit');
    await syncs.release();
    await first;
    const seen: RecordedEvent[] = [];
    const sub = store.subscribeToAll({ after: 0, onEvents: (events) => void seen.push(...events) });
    await until(() => seen.length === 1, 'the durable event');

    const append = watch(store.append(s, makeEvents(1), 0));
    await until(() => syncs.waiting === 1, 'the sync of the second commit');
    const head = watch(store.headPosition());
    const all = watch(
      (async () => {
        const out: number[] = [];
        for await (const page of store.readAll()) out.push(...page.map((e) => e.position));
        return out;
      })(),
    );
    const stream = watch(store.readStream(s));
    const root = watch(store.treeSize());
    await turns(20);
    expect(seen.map((e) => e.position)).toEqual([1]);
    expect([append.settled, head.settled, all.settled, stream.settled, root.settled]).toEqual([
      false,
      false,
      false,
      false,
      false,
    ]);

    // The reads asked for a sync of their own once the one in flight is done: it covers their start.
    await syncs.release();
    await until(() => syncs.waiting === 1, 'the readers’ sync');
    await syncs.release();
    await Promise.all([append.done, head.done, all.done, stream.done, root.done]);
    await until(() => seen.length === 2, 'the second event delivered');
    await sub.close();
    expect(append.value).toMatchObject({ position: 2 });
    expect(head.value).toBe(2);
    expect(all.value).toEqual([1, 2]);
    expect((stream.value as RecordedEvent[]).map((e) => e.revision)).toEqual([0, 1]);
    expect(root.value).toBe(2);
    expect(seen.map((e) => e.position)).toEqual([1, 2]);
  });

  it('acknowledges the commits made while a sync was in flight after one further sync that covers them all', async () => {
    const [a, b, c] = [streamId(), streamId(), streamId()];
    const first = watch(store.append(a, makeEvents(1), 'no-stream'));
    await until(() => syncs.waiting === 1, 'the first sync');
    // Two more batches commit while the first sync is held: no second sync starts beside it.
    const second = watch(store.append(b, makeEvents(1), 'no-stream'));
    await until(() => store.stats.batches === 2, 'the second commit');
    const third = watch(store.append(c, makeEvents(1), 'no-stream'));
    await until(() => store.stats.batches === 3, 'the third commit');
    await turns();
    expect(syncs.calls).toBe(1);
    expect([first.settled, second.settled, third.settled]).toEqual([false, false, false]);

    await syncs.release();
    await first.done;
    await until(() => syncs.waiting === 1, 'the sync that covers the later commits');
    await turns();
    expect(syncs.calls).toBe(2);
    expect([second.settled, third.settled]).toEqual([false, false]);

    await syncs.release();
    await Promise.all([second.done, third.done]);
    expect([first.value, second.value, third.value].map((r) => r?.position)).toEqual([1, 2, 3]);
    expect(syncs.calls).toBe(2);
  });

  it('fails the appends whose sync failed, and every later call, with EventStoreUnavailableError', async () => {
    const s = streamId();
    const errors: unknown[] = [];
    store.subscribeToAll({ after: 0, onEvents: () => undefined, onError: (e) => errors.push(e) });
    const append = watch(store.append(s, makeEvents(1), 'no-stream'));
    const other = watch(store.append(streamId(), makeEvents(1), 'no-stream'));
    await until(() => syncs.waiting === 1, 'the sync of the commit');
    syncs.fail(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
    await Promise.all([append.done, other.done]);
    expect(append.error).toBeInstanceOf(EventStoreUnavailableError);
    expect(other.error).toBeInstanceOf(EventStoreUnavailableError);
    expect((append.error as Error).message).toContain('EIO');

    // Never acknowledged after a failed sync, even by a later sync that succeeds: the store is unavailable.
    await expect(store.append(streamId(), makeEvents(1), 'no-stream')).rejects.toBeInstanceOf(
      EventStoreUnavailableError,
    );
    await expect(store.readStream(s)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.headPosition()).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.health()).resolves.toMatchObject({ ok: false });
    await until(() => errors.length === 1, 'the subscription stopped');
    expect(errors[0]).toBeInstanceOf(EventStoreUnavailableError);
    expect(syncs.calls).toBe(1);
  });

  it('syncs, at open, what a store that stopped before its sync left committed, then shows it', async () => {
    const s = streamId();
    const lost = watch(store.append(s, makeEvents(1), 'no-stream'));
    await until(() => syncs.waiting === 1, 'the sync of the commit');
    // Another store on the same file (a restart): its open syncs the WAL, so the event is durable and shown.
    const next = new SqliteEventStore({ file, syncWal: new HeldSyncs().sync });
    try {
      expect(await next.headPosition()).toBe(1);
      expect(await next.readStream(s)).toHaveLength(1);
    } finally {
      await next.close();
    }
    expect(lost.settled).toBe(false);
  });
});

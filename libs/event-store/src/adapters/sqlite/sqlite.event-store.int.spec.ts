import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RecordedEvent } from '../../envelope';
import { DuplicateEventIdError, EventStoreUnavailableError, WrongExpectedRevisionError } from '../../errors';
import { EventStoreHarness, makeEvents, streamId, testEventStore, until } from '../../event-store.contract';
import { SqliteEventStore } from './sqlite.event-store';

const POLL_MS = 20;

async function tempFile(): Promise<{ dir: string; file: string }> {
  const dir = await mkdtemp(join(tmpdir(), 'accord-sqlite-es-'));
  // A missing parent directory: the store creates it.
  return { dir, file: join(dir, 'data', 'events.db') };
}

/** Flips the case of one ASCII letter in the stored data JSON: one byte changed, still valid JSON. */
function flipOneByte(file: string, position: number): void {
  const db = new Database(file);
  try {
    const data = db.prepare('SELECT data FROM events WHERE position = ?').pluck().get(position) as string;
    const i = data.search(/[A-Za-z]/);
    const c = data[i]!;
    const flipped = c === c.toLowerCase() ? c.toUpperCase() : c.toLowerCase();
    db.prepare('UPDATE events SET data = ? WHERE position = ?').run(
      data.slice(0, i) + flipped + data.slice(i + 1),
      position,
    );
  } finally {
    db.close();
  }
}

testEventStore('sqlite', {
  async create(): Promise<EventStoreHarness> {
    const { dir, file } = await tempFile();
    const h: EventStoreHarness = {
      store: new SqliteEventStore({ file, pollIntervalMs: POLL_MS }),
      async reopen() {
        await h.store.close();
        h.store = new SqliteEventStore({ file, pollIntervalMs: POLL_MS });
        return h.store;
      },
      async tamper(position) {
        flipOneByte(file, position);
      },
      async cleanup() {
        await h.store.close();
        await rm(dir, { recursive: true, force: true });
      },
    };
    return h;
  },
});

describe('SqliteEventStore', () => {
  let dir: string;
  let file: string;
  let store: SqliteEventStore;
  const others: SqliteEventStore[] = [];

  beforeEach(async () => {
    ({ dir, file } = await tempFile());
    store = new SqliteEventStore({ file, pollIntervalMs: POLL_MS });
  });
  afterEach(async () => {
    await Promise.all([store, ...others.splice(0)].map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  });

  const positions = async (s: SqliteEventStore = store): Promise<number[]> => {
    const out: number[] = [];
    for await (const page of s.readAll()) out.push(...page.map((e) => e.position));
    return out;
  };

  it('commits the appends of one turn in one transaction, rejecting a failing append alone', async () => {
    const [reused] = makeEvents(1);
    await store.append(streamId(), [reused!], 'no-stream');
    const [ok1, wrongRevision, idReuse, notJson, ok2] = [
      streamId(),
      streamId(),
      streamId(),
      streamId(),
      streamId(),
    ];
    const nan = makeEvents(1);
    nan[0]!.data.n = NaN;
    const before = { ...store.stats };
    const outcomes = await Promise.allSettled([
      store.append(ok1, makeEvents(2), 'no-stream'),
      store.append(wrongRevision, makeEvents(1), 5),
      // Fails on its second insert: the first must be rolled back with it.
      store.append(idReuse, [...makeEvents(1), reused!], 'no-stream'),
      store.append(notJson, nan, 'no-stream'),
      store.append(ok2, makeEvents(2), 'no-stream'),
    ]);
    expect(store.stats).toEqual({ batches: before.batches + 1, appends: before.appends + 5 });
    expect(outcomes.map((o) => o.status)).toEqual([
      'fulfilled',
      'rejected',
      'rejected',
      'rejected',
      'fulfilled',
    ]);
    const reason = (i: number) => (outcomes[i] as PromiseRejectedResult).reason;
    expect(reason(1)).toBeInstanceOf(WrongExpectedRevisionError);
    expect(reason(2)).toBeInstanceOf(DuplicateEventIdError);
    expect(reason(3)).toBeInstanceOf(TypeError);
    expect(outcomes[4]).toMatchObject({ value: { position: 5, nextExpectedRevision: 1 } });
    expect(await positions()).toEqual([1, 2, 3, 4, 5]);
    expect(await store.readStream(idReuse)).toEqual([]);
    // The rolled-back append left no stream head behind.
    await expect(store.append(idReuse, makeEvents(1), 'no-stream')).resolves.toMatchObject({ position: 6 });
  });

  it('rejects a whole batch the database refuses, naming the SQLite code, and leaves nothing behind', async () => {
    const impatient = new SqliteEventStore({ file, busyTimeoutMs: 20 });
    others.push(impatient);
    const lock = new Database(file);
    lock.prepare('BEGIN IMMEDIATE').run();
    const s = streamId();
    const outcomes = await Promise.allSettled([
      impatient.append(s, makeEvents(1), 'no-stream'),
      impatient.append(streamId(), makeEvents(1), 'no-stream'),
    ]);
    lock.prepare('ROLLBACK').run();
    lock.close();
    for (const o of outcomes) {
      expect(o).toMatchObject({ status: 'rejected', reason: expect.any(EventStoreUnavailableError) });
      expect((o as PromiseRejectedResult).reason.message).toContain('SQLITE_BUSY');
    }
    await expect(impatient.append(s, makeEvents(1), 'no-stream')).resolves.toMatchObject({ position: 1 });
  });

  it('applies appends to one stream queued in the same turn in call order', async () => {
    const s = streamId();
    const results = await Promise.all([
      store.append(s, makeEvents(2), 'no-stream'),
      store.append(s, makeEvents(1), 1),
      store.append(s, makeEvents(1), 2),
    ]);
    expect(results.map((r) => r.nextExpectedRevision)).toEqual([1, 2, 3]);
    expect((await store.readStream(s)).map((e) => e.position)).toEqual([1, 2, 3, 4]);
  });

  it('answers a retry queued beside its original as a duplicate', async () => {
    const events = makeEvents(2);
    const [first, retry] = await Promise.all([
      store.append('document-x', events, 'no-stream'),
      store.append('document-x', events, 'no-stream'),
    ]);
    expect(first).toEqual({ nextExpectedRevision: 1, position: 2, duplicate: false });
    expect(retry).toEqual({ ...first, duplicate: true });
    expect(await positions()).toEqual([1, 2]);
  });

  it('commits appends still queued when closed, then refuses further use', async () => {
    const s = streamId();
    const pending = store.append(s, makeEvents(1), 'no-stream');
    await store.close();
    await expect(pending).resolves.toMatchObject({ position: 1 });
    await expect(store.append(s, makeEvents(1), 0)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.readStream(s)).rejects.toBeInstanceOf(EventStoreUnavailableError);
    await expect(store.health()).resolves.toMatchObject({ ok: false });
    store = new SqliteEventStore({ file });
    expect(await store.readStream(s)).toHaveLength(1);
  });

  it('uses WAL with synchronous=NORMAL: the store syncs the WAL before it acknowledges (§37.4)', () => {
    const other = new Database(file, { readonly: true });
    try {
      expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
    } finally {
      other.close();
    }
    expect(store['db'].pragma('synchronous', { simple: true })).toBe(1);
  });

  it('shows a subscription the appends another process makes to the same file, by polling', async () => {
    const writer = new SqliteEventStore({ file });
    others.push(writer);
    const seen: RecordedEvent[] = [];
    const sub = store.subscribeToAll({ after: 0, onEvents: (events) => void seen.push(...events) });
    const s = streamId();
    // The writer's commits cannot wake this store's subscription: only its poll can find them.
    await writer.append(s, makeEvents(2), 'no-stream');
    await writer.append(s, makeEvents(1), 1);
    await until(() => seen.length >= 3, 'the polled events');
    await sub.close();
    expect(seen.map((e) => [e.position, e.revision])).toEqual([
      [1, 0],
      [2, 1],
      [3, 2],
    ]);
  });

  it('wakes a caught-up subscription right after a commit, without waiting for its poll', async () => {
    const sleepy = new SqliteEventStore({ file, pollIntervalMs: 3_600_000 });
    others.push(sleepy);
    const seen: number[] = [];
    let caughtUp!: () => void;
    const idle = new Promise<void>((resolve) => (caughtUp = resolve));
    sleepy.subscribeToAll({
      after: 0,
      onEvents: (events) => void seen.push(...events.map((e) => e.position)),
    });
    setImmediate(() => setImmediate(caughtUp));
    await idle;
    await sleepy.append(streamId(), makeEvents(2), 'no-stream');
    await until(() => seen.length >= 2, 'the woken delivery');
    expect(seen).toEqual([1, 2]);
  });

  it('stops a subscription whose handler throws and reports the error once', async () => {
    await store.append(streamId(), makeEvents(3), 'no-stream');
    const boom = new Error('projection failed');
    const errors: unknown[] = [];
    let calls = 0;
    const stopped = new Promise<void>((resolve) => {
      store.subscribeToAll({
        after: 0,
        batchSize: 1,
        onEvents: () => {
          calls++;
          throw boom;
        },
        onError: (e) => {
          errors.push(e);
          resolve();
        },
      });
    });
    await stopped;
    await store.append(streamId(), makeEvents(1), 'no-stream');
    await new Promise((r) => setTimeout(r, POLL_MS * 3));
    expect(errors).toEqual([boom]);
    expect(calls).toBe(1);
  });
});

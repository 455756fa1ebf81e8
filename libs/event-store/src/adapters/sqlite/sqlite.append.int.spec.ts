import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuplicateEventIdError } from '../../errors';
import { makeEvents, streamId } from '../../event-store.contract';
import { eventLeafHash } from '../../merkle/leaf';
import { rootFromLeaves } from '../../merkle/tree-math';
import { verifyEventStore } from '../../verify';
import { MAX_ROWS_PER_INSERT } from './sqlite.append';
import { SqliteEventStore } from './sqlite.event-store';

describe('SqliteEventStore appends (one INSERT per batch or per append, savepoints only beyond it)', () => {
  let dir: string;
  let store: SqliteEventStore;

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-sqlite-append-'));
    store = new SqliteEventStore({ file: join(dir, 'events.db') });
  });
  afterEach(async () => {
    await store.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes an append larger than one INSERT whole, in order, its chain intact', async () => {
    const s = streamId();
    const count = 2 * MAX_ROWS_PER_INSERT + 3;
    const result = await store.append(s, makeEvents(count), 'no-stream');
    expect(result).toEqual({ nextExpectedRevision: count - 1, position: count, duplicate: false });
    const events = await store.readStream(s);
    expect(events.map((e) => e.revision)).toEqual([...Array(count).keys()]);
    expect(events.map((e) => e.position)).toEqual(events.map((e) => e.revision + 1));
    expect(await verifyEventStore(store)).toEqual({ ok: true, eventsChecked: count, streams: 1 });
  });

  it('rolls back a large append whose reused id sits in a later INSERT, naming that id', async () => {
    const [stored] = makeEvents(1);
    await store.append(streamId(), [stored!], 'no-stream');
    const s = streamId();
    const events = makeEvents(MAX_ROWS_PER_INSERT + 20);
    events[MAX_ROWS_PER_INSERT + 10] = { ...events[MAX_ROWS_PER_INSERT + 10]!, eventId: stored!.eventId };
    const refused = store.append(s, events, 'no-stream');
    await expect(refused).rejects.toBeInstanceOf(DuplicateEventIdError);
    await expect(refused).rejects.toMatchObject({ eventId: stored!.eventId });
    expect(await store.readStream(s)).toEqual([]);
    expect(await store.headPosition()).toBe(1);
    await expect(store.append(s, makeEvents(1), 'no-stream')).resolves.toMatchObject({ position: 2 });
  });

  it('refuses an id given twice in one append, naming it, and writes nothing', async () => {
    const s = streamId();
    const [a, b] = makeEvents(2);
    const refused = store.append(s, [a!, b!, { ...a!, type: 'Again' }], 'no-stream');
    await expect(refused).rejects.toMatchObject({ name: 'DuplicateEventIdError', eventId: a!.eventId });
    expect(await store.headPosition()).toBe(0);
  });

  it("answers a retry stated with 'any' as the first append, though its revision check passes", async () => {
    const s = streamId();
    const events = makeEvents(3);
    const first = await store.append(s, events, 'any');
    await store.append(s, makeEvents(1), 2);
    const retry = await store.append(s, events, 'any');
    expect(retry).toEqual({ ...first, duplicate: true });
    expect(await store.headPosition()).toBe(4);
  });

  it('writes a batch of appends to many streams in one INSERT: positions, chains, heads and leaves as one at a time', async () => {
    const streams = [streamId(), streamId(), streamId()];
    const before = { ...store.stats };
    // Two appends to one stream in the batch: the second chains on the first.
    const results = await Promise.all([
      store.append(streams[0]!, makeEvents(2), 'no-stream'),
      store.append(streams[1]!, makeEvents(1), 'no-stream'),
      store.append(streams[0]!, makeEvents(1), 1),
      store.append(streams[2]!, makeEvents(3), 'no-stream'),
    ]);
    expect(store.stats).toEqual({ batches: before.batches + 1, appends: before.appends + 4 });
    expect(results.map((r) => [r.position, r.nextExpectedRevision])).toEqual([
      [2, 1],
      [3, 0],
      [4, 2],
      [7, 2],
    ]);
    expect(await verifyEventStore(store)).toEqual({ ok: true, eventsChecked: 7, streams: 3 });
    // The next append reads the heads the batch's upsert left.
    await expect(store.append(streams[0]!, makeEvents(1), 2)).resolves.toMatchObject({ position: 8 });
    const all: Parameters<typeof eventLeafHash>[0][] = [];
    for await (const page of store.readAll()) all.push(...page);
    expect(await store.rootAt()).toEqual(rootFromLeaves(all.map(eventLeafHash)));
  });

  it('writes a batch one append at a time when its one INSERT meets a stored id, rejecting only that append', async () => {
    const [stored] = makeEvents(1);
    await store.append(streamId(), [stored!], 'no-stream');
    const [a, reuser, b] = [streamId(), streamId(), streamId()];
    const outcomes = await Promise.allSettled([
      store.append(a, makeEvents(1), 'no-stream'),
      // Passes its revision check ('any'): only the INSERT finds the id taken.
      store.append(reuser, [...makeEvents(1), { ...stored!, type: 'Other' }], 'any'),
      store.append(b, makeEvents(2), 'no-stream'),
    ]);
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled']);
    expect((outcomes[1] as PromiseRejectedResult).reason).toBeInstanceOf(DuplicateEventIdError);
    expect(outcomes[2]).toMatchObject({ value: { position: 4, nextExpectedRevision: 1 } });
    expect(await store.readStream(reuser)).toEqual([]);
    expect(await verifyEventStore(store)).toEqual({ ok: true, eventsChecked: 4, streams: 3 });
    expect(await store.treeSize()).toBe(4);
  });

  it('keeps the statement journals of its multi-row statements in memory, not in spilled temp files (§37.8)', () => {
    // 2 = MEMORY. A batch's one INSERT undoes itself from this journal when an id conflicts (the test above).
    expect(store['db'].pragma('temp_store', { simple: true })).toBe(2);
  });
});

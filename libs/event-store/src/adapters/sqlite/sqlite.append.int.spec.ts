import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DuplicateEventIdError } from '../../errors';
import { makeEvents, streamId } from '../../event-store.contract';
import { verifyEventStore } from '../../verify';
import { MAX_ROWS_PER_INSERT } from './sqlite.append';
import { SqliteEventStore } from './sqlite.event-store';

describe('SqliteEventStore appends (one INSERT per append, savepoints only beyond it)', () => {
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
});

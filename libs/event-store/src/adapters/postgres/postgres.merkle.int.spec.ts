import { Client } from 'pg';
import { RecordedEvent } from '../../envelope';
import { checkpointNow, makeEvents, streamId } from '../../event-store.contract';
import { eventLeafHash } from '../../merkle/leaf';
import { NoteSigner, parseVerifierKey } from '../../merkle/checkpoint-note';
import { rootFromLeaves, verifyConsistency, verifyInclusion } from '../../merkle/tree-math';
import { verifyLog } from '../../merkle/verify-log';
import { PostgresEventStore } from './postgres.event-store';
import { postgresUnavailable, PostgresTestServer, startPostgresTestServer } from './postgres.test-server';

/**
 * The Merkle tree the PostgreSQL adapter keeps in its append transaction, against a tree rebuilt
 * independently from the events read back, on a real server started here (as sqlite.merkle.int.spec.ts
 * does for the SQLite file).
 */

const signer = new NoteSigner('accord.test/log', Buffer.alloc(32, 3));
const key = parseVerifierKey(signer.verifierKey);
const unavailable = postgresUnavailable();

let server: PostgresTestServer | undefined;
let starting: Promise<PostgresTestServer> | undefined;
const pg = (): Promise<PostgresTestServer> =>
  (starting ??= startPostgresTestServer({ durable: false }).then((s) => (server = s)));
afterAll(async () => {
  await server?.stop();
});

async function all(store: PostgresEventStore): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const page of store.readAll()) out.push(...page);
  return out;
}

async function sql(url: string, text: string, values: unknown[] = []): Promise<void> {
  const c = new Client({ connectionString: url });
  await c.connect();
  try {
    await c.query(text, values);
  } finally {
    await c.end();
  }
}

(unavailable ? describe.skip : describe)('PostgresEventStore Merkle tree', () => {
  const opened: PostgresEventStore[] = [];
  const open = (url: string, o: { merkle?: boolean } = {}): PostgresEventStore => {
    const s = new PostgresEventStore({ connectionString: url, pollIntervalMs: 20, ...o });
    opened.push(s);
    return s;
  };
  afterEach(async () => {
    await Promise.all(opened.splice(0).map((s) => s.close()));
  });

  it('keeps one leaf per event, in the group commit, with failing appends leaving no leaf behind', async () => {
    const store = open(await (await pg()).createDatabase());
    const streams = Array.from({ length: 5 }, () => streamId());
    for (let round = 0; round < 6; round++) {
      const outcomes = await Promise.allSettled([
        ...streams.map((s, i) => store.append(s, makeEvents(1 + ((round + i) % 3)), 'any')),
        store.append(streams[0]!, makeEvents(1), 999),
      ]);
      expect(outcomes[outcomes.length - 1]!.status).toBe('rejected');
    }
    await store.append(streamId(), makeEvents(300), 'no-stream');
    const events = await all(store);
    const leaves = events.map(eventLeafHash);
    expect(await store.treeSize()).toBe(events.length);
    expect((await store.rootAt()).equals(rootFromLeaves(leaves))).toBe(true);
    const n = events.length;
    for (const i of [0, 1, 7, 40, n - 1]) {
      const proof = await store.inclusionProof(i, n);
      expect(verifyInclusion(leaves[i]!, i, n, proof, rootFromLeaves(leaves))).toBe(true);
      expect(await store.leafIndexOf(events[i]!.eventId)).toBe(i);
      expect((await store.leafHash(i)).equals(leaves[i]!)).toBe(true);
    }
    for (const m of [1, 2, 3, 17, 64, n - 1]) {
      const proof = await store.consistencyProof(m, n);
      expect(verifyConsistency(m, n, rootFromLeaves(leaves.slice(0, m)), rootFromLeaves(leaves), proof)).toBe(
        true,
      );
    }
    await expect(store.rootAt(n + 1)).rejects.toBeInstanceOf(RangeError);
    expect((await verifyLog(store, { key })).ok).toBe(true);
  });

  it('stays right when several nodes append to one database, and takes in events written without the tree', async () => {
    const url = await (await pg()).createDatabase();
    const [a, b, c] = [open(url), open(url), open(url)];
    const plain = open(url, { merkle: false });
    // Interleaved on purpose: each node's frontier goes stale at every round and is reloaded from the rows.
    for (let i = 0; i < 6; i++) {
      await Promise.all([
        a.append(streamId(), makeEvents(2), 'no-stream'),
        b.append(streamId(), makeEvents(3), 'no-stream'),
        c.append(streamId(), makeEvents(1 + i), 'no-stream'),
      ]);
    }
    await plain.append(streamId(), makeEvents(4), 'no-stream');
    expect(await a.treeSize()).toBe(6 * 5 + 21);
    // The last events came in without leaves: the next append through a tree-keeping node takes them in.
    await b.append(streamId(), makeEvents(1), 'no-stream');
    const leaves = (await all(a)).map(eventLeafHash);
    expect(leaves).toHaveLength(56);
    expect(await c.treeSize()).toBe(56);
    expect((await c.rootAt()).equals(rootFromLeaves(leaves))).toBe(true);
    expect((await verifyLog(a, { key })).ok).toBe(true);

    // A node opening a database whose tree is behind takes the missing events in at open.
    await plain.append(streamId(), makeEvents(5), 'no-stream');
    const late = open(url);
    expect(await late.treeSize()).toBe(61);
    expect((await late.rootAt()).equals(rootFromLeaves((await all(late)).map(eventLeafHash)))).toBe(true);
  });

  it('keeps checkpoints in the database, for every node, once per size', async () => {
    const url = await (await pg()).createDatabase();
    const [a, b] = [open(url), open(url)];
    await a.append(streamId(), makeEvents(5), 'no-stream');
    const size = await b.treeSize();
    const root = await b.rootAt(size);
    const c1 = { size, root, note: signer.signCheckpoint({ size, root }), signedAt: '2025-01-01T00:00:00Z' };
    await a.saveCheckpoint(c1);
    // Another node signing the same size keeps the first (INSERT ... ON CONFLICT DO NOTHING).
    await b.saveCheckpoint({ ...c1, signedAt: 'later' });
    await a.append(streamId(), makeEvents(3), 'no-stream');
    const root8 = await a.rootAt(8);
    await b.saveCheckpoint({
      size: 8,
      root: root8,
      note: signer.signCheckpoint({ size: 8, root: root8 }),
      signedAt: 'x',
    });
    expect((await a.checkpoints()).map((c) => [c.size, c.signedAt])).toEqual([
      [5, '2025-01-01T00:00:00Z'],
      [8, 'x'],
    ]);
    expect((await b.checkpointAt(5))!.root.equals(root)).toBe(true);
    expect((await a.latestCheckpoint())!.size).toBe(8);
    expect((await verifyLog(a, { key, held: { origin: 'accord.test/log', size, root } })).ok).toBe(true);
  });

  it('verifies a log that other nodes grow while it is checked (no false alarm from appends after its snapshot)', async () => {
    const url = await (await pg()).createDatabase();
    const [store, writer] = [open(url), open(url)];
    for (let i = 0; i < 20; i++) await store.append(streamId(), makeEvents(50), 'no-stream');
    const s = streamId();
    let revision: number | 'no-stream' = 'no-stream';
    const writing = (async () => {
      for (let i = 0; i < 30; i++) {
        revision = (await writer.append(s, makeEvents(20), revision)).nextExpectedRevision;
        await checkpointNow(writer, signer);
      }
    })();
    const results = await Promise.all([verifyLog(store, { key }), verifyLog(store, { key }), writing]);
    expect(results[0]).toMatchObject({ ok: true, problems: [] });
    expect(results[1]).toMatchObject({ ok: true, problems: [] });
    expect((await verifyLog(store, { key })).leaves).toBe(1600);
  });

  it('catches a truncated tail against the kept checkpoint, a held one and the stream heads', async () => {
    const url = await (await pg()).createDatabase();
    const store = open(url);
    await store.append(streamId(), makeEvents(4), 'no-stream');
    await store.append(streamId(), makeEvents(4), 'no-stream');
    const { size, root } = await checkpointNow(store, signer);
    const held = { origin: 'accord.test/log', size, root };
    expect((await verifyLog(store, { key, held })).ok).toBe(true);

    await sql(url, 'DELETE FROM events WHERE position = 8');
    const truncated = await verifyLog(store, { key, held });
    expect(truncated.ok).toBe(false);
    expect(truncated.problems.map((p) => p.reason)).toEqual(
      expect.arrayContaining([
        'tree-size-mismatch',
        'checkpoint-beyond-log',
        'stream-head-mismatch',
        'held-checkpoint-larger-than-log',
      ]),
    );
  });
});

import Database from 'better-sqlite3';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { checkpointNow, makeEvents, streamId } from '../../event-store.contract';
import { RecordedEvent } from '../../envelope';
import { eventLeafHash } from '../../merkle/leaf';
import { NoteSigner, parseVerifierKey } from '../../merkle/checkpoint-note';
import { CompactRange, rootFromLeaves, verifyConsistency, verifyInclusion } from '../../merkle/tree-math';
import { verifyLog } from '../../merkle/verify-log';
import { SqliteEventStore } from './sqlite.event-store';

/** The Merkle tree kept by the SQLite adapter, against a tree rebuilt independently from the events read back. */

const signer = new NoteSigner('accord.test/log', Buffer.alloc(32, 3));
const key = parseVerifierKey(signer.verifierKey);

async function all(store: SqliteEventStore): Promise<RecordedEvent[]> {
  const out: RecordedEvent[] = [];
  for await (const page of store.readAll()) out.push(...page);
  return out;
}

describe('SqliteEventStore Merkle tree', () => {
  let dir: string;
  let file: string;
  const open: SqliteEventStore[] = [];
  const openStore = (o: { merkle?: boolean } = {}): SqliteEventStore => {
    const s = new SqliteEventStore({ file, ...o });
    open.push(s);
    return s;
  };

  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-merkle-'));
    file = join(dir, 'events.db');
  });
  afterEach(async () => {
    await Promise.all(open.splice(0).map((s) => s.close()));
    await rm(dir, { recursive: true, force: true });
  });

  it('keeps one leaf per event, in the group commit, with failing appends leaving no leaf behind', async () => {
    const store = openStore();
    const streams = Array.from({ length: 5 }, () => streamId());
    // Several batches of concurrent appends, one of which fails each time (wrong revision).
    for (let round = 0; round < 6; round++) {
      await Promise.allSettled([
        ...streams.map((s, i) => store.append(s, makeEvents(1 + ((round + i) % 3)), 'any')),
        store.append(streams[0]!, makeEvents(1), 999),
      ]);
    }
    // An append bigger than one INSERT (and its savepoint).
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
    }
    for (const m of [1, 2, 3, 17, 64, n - 1]) {
      const proof = await store.consistencyProof(m, n);
      expect(verifyConsistency(m, n, rootFromLeaves(leaves.slice(0, m)), rootFromLeaves(leaves), proof)).toBe(
        true,
      );
    }
    expect((await verifyLog(store, { key })).ok).toBe(true);
  });

  it('stays right when two processes append to one file, and takes in events written without the tree', async () => {
    const a = openStore();
    const b = openStore();
    const plain = openStore({ merkle: false });
    for (let i = 0; i < 5; i++) {
      await a.append(streamId(), makeEvents(2), 'no-stream');
      await b.append(streamId(), makeEvents(3), 'no-stream');
      await plain.append(streamId(), makeEvents(1), 'no-stream');
    }
    // The last events came in without leaves: the next append through a tree-keeping store takes them in.
    await a.append(streamId(), makeEvents(1), 'no-stream');
    const leaves = (await all(a)).map(eventLeafHash);
    expect(leaves).toHaveLength(31);
    expect(await b.treeSize()).toBe(31);
    expect((await b.rootAt()).equals(rootFromLeaves(leaves))).toBe(true);
    expect((await verifyLog(b, { key })).ok).toBe(true);
  });

  it('reads a file written with a row per leaf (before §37.14) and goes on with rows of many leaves after it', async () => {
    // The old layout, written out: one row per leaf, its hash and the subtrees it completes.
    const plain = openStore({ merkle: false });
    for (let i = 0; i < 7; i++) await plain.append(streamId(), makeEvents(1 + (i % 4)), 'no-stream');
    const raw = new Database(file);
    raw.exec('CREATE TABLE merkle_tree (leaf_index INTEGER PRIMARY KEY, hashes BLOB NOT NULL)');
    const old = CompactRange.empty();
    for (const e of await all(plain)) {
      const index = old.size;
      const row = Buffer.from(old.append(eventLeafHash(e).toString('latin1')), 'latin1');
      raw.prepare('INSERT INTO merkle_tree (leaf_index, hashes) VALUES (?, ?)').run(index, row);
    }
    const before = old.size;

    const store = openStore();
    for (let round = 0; round < 4; round++) {
      await Promise.all(
        Array.from({ length: 9 }, (_, k) => store.append(streamId(), makeEvents(1 + (k % 3)), 'no-stream')),
      );
    }
    await store.append(streamId(), makeEvents(150), 'no-stream');
    const leaves = (await all(store)).map(eventLeafHash);
    const n = leaves.length;
    const rows = raw
      .prepare('SELECT count(*) FROM merkle_tree WHERE leaf_index >= ?')
      .pluck()
      .get(before) as number;
    expect(rows).toBeLessThan((n - before) / 4);
    expect(await store.treeSize()).toBe(n);
    for (let m = 1; m <= n; m++) {
      expect((await store.rootAt(m)).equals(rootFromLeaves(leaves.slice(0, m)))).toBe(true);
    }
    const root = rootFromLeaves(leaves);
    for (let i = 0; i < n; i++) {
      expect((await store.leafHash(i)).equals(leaves[i]!)).toBe(true);
      expect(verifyInclusion(leaves[i]!, i, n, await store.inclusionProof(i, n), root)).toBe(true);
    }
    for (const m of [1, before - 1, before, before + 1, 33, 64, n - 1]) {
      const proof = await store.consistencyProof(m, n);
      expect(verifyConsistency(m, n, rootFromLeaves(leaves.slice(0, m)), root, proof)).toBe(true);
    }
    expect(await verifyLog(store, { key })).toMatchObject({ ok: true, leaves: n, treeSize: n });
    // A leaf's stored hash changed inside a row of many leaves is named by verification.
    const [last, hashes] = raw
      .prepare('SELECT leaf_index, hashes FROM merkle_tree ORDER BY leaf_index DESC LIMIT 1')
      .raw()
      .get() as [number, Buffer];
    hashes[0] ^= 1;
    raw.prepare('UPDATE merkle_tree SET hashes = ? WHERE leaf_index = ?').run(hashes, last);
    const tampered = await verifyLog(store, { key });
    expect(tampered.problems[0]).toMatchObject({ reason: 'leaf-mismatch' });
    expect(tampered.problems[0]!.index).toBeLessThan(last);
    raw.close();
  });

  it('verifies a log that grows while it is checked (no false alarm from appends after its snapshot)', async () => {
    const store = openStore();
    for (let i = 0; i < 30; i++) await store.append(streamId(), makeEvents(50), 'no-stream');
    await checkpointNow(store, signer);
    const s = streamId();
    let revision: number | 'no-stream' = 'no-stream';
    const writing = (async () => {
      for (let i = 0; i < 40; i++) {
        revision = (await store.append(s, makeEvents(20), revision)).nextExpectedRevision;
        await checkpointNow(store, signer);
      }
    })();
    const results = await Promise.all([verifyLog(store, { key }), verifyLog(store, { key }), writing]);
    expect(results[0]).toMatchObject({ ok: true, problems: [] });
    expect(results[1]).toMatchObject({ ok: true, problems: [] });
    expect((await verifyLog(store, { key })).leaves).toBe(2300);
  });

  it('keeps every signed checkpoint, and verifyLog catches a truncated tail against them and the stream heads', async () => {
    const store = openStore();
    const s1 = streamId();
    await store.append(s1, makeEvents(4), 'no-stream');
    await store.append(streamId(), makeEvents(4), 'no-stream');
    const { size, root } = await checkpointNow(store, signer);
    expect((await store.latestCheckpoint())!.size).toBe(8);
    expect((await verifyLog(store, { key, held: { origin: 'accord.test/log', size, root } })).ok).toBe(true);

    const raw = new Database(file);
    raw.prepare('DELETE FROM events WHERE position = 8').run();
    const truncated = await verifyLog(store, { key, held: { origin: 'accord.test/log', size, root } });
    expect(truncated.ok).toBe(false);
    expect(truncated.problems.map((p) => p.reason)).toEqual(
      expect.arrayContaining([
        'tree-size-mismatch',
        'checkpoint-beyond-log',
        'stream-head-mismatch',
        'held-checkpoint-larger-than-log',
      ]),
    );
    raw.close();
  });
});

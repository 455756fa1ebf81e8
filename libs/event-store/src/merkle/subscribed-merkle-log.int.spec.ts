import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { SqliteEventStore } from '../adapters/sqlite/sqlite.event-store';
import { makeEvents, streamId } from '../event-store.contract';
import { NoteSigner, parseVerifierKey } from './checkpoint-note';
import { SubscribedMerkleLog } from './subscribed-merkle-log';
import { verifyConsistency } from './tree-math';
import { verifyLog } from './verify-log';

/**
 * The tree the api keeps beside a store that cannot keep one (KurrentDB in production; KurrentDB cannot run
 * here, so the SQLite adapter is the source): it must reach the very root the SQLite adapter keeps itself.
 */
describe('SubscribedMerkleLog', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'accord-submerkle-'));
  });
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('follows the log to the root the SQLite adapter computes, resumes after a restart, and verifies', async () => {
    const store = new SqliteEventStore({ file: join(dir, 'events.db'), pollIntervalMs: 10 });
    const key = parseVerifierKey(new NoteSigner('accord.test/log', Buffer.alloc(32, 1)).verifierKey);
    try {
      let log = new SubscribedMerkleLog(store, join(dir, 'merkle.db'));
      log.start();
      for (let i = 0; i < 10; i++) await store.append(streamId(), makeEvents(1 + (i % 4)), 'no-stream');
      const until = async (n: number): Promise<void> => {
        while ((await log.treeSize()) < n) await new Promise((r) => setTimeout(r, 10));
      };
      await until(23);
      expect((await log.rootAt()).equals(await store.rootAt())).toBe(true);
      const old = await log.rootAt(23);
      await log.close();
      log = new SubscribedMerkleLog(store, join(dir, 'merkle.db'));
      log.start();
      await store.append(streamId(), makeEvents(7), 'no-stream');
      await until(30);
      expect((await log.rootAt()).equals(await store.rootAt())).toBe(true);
      expect(verifyConsistency(23, 30, old, await log.rootAt(), await log.consistencyProof(23, 30))).toBe(
        true,
      );
      expect((await verifyLog(log, { key })).ok).toBe(true);
      await log.close();
    } finally {
      await store.close();
    }
  });
});

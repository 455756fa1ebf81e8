import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { documentStreamId } from '@accord/domain';
import { RedisServerProcess } from '../../libs/jobs/src/adapters/bullmq/redis-server.fixture';
import { BuiltProcess, inspectStores, startBuilt } from '../api/support/built-process';
import { buildRetentionWorld } from './support/retention-world';

const DOCUMENTS = 150;
const RETAIN_MS = 1500;
const WAIT_MS = 30_000;

/** The built worker as an operator runs it in cluster mode: BullMQ on REDIS_URL, sweeping every 300 ms. */
function startWorker(dataDir: string, redisUrl: string, extra: Record<string, string> = {}): BuiltProcess {
  return startBuilt('worker', {
    DATA_DIR: dataDir,
    REDIS_URL: redisUrl,
    RETENTION_SWEEP_INTERVAL_MS: '300',
    BULLMQ_LOCK_MS: '1000',
    ...extra,
  });
}

interface Census {
  expired: Map<string, number>;
  destroyed: Map<string, number>;
  objects: Set<string>;
}

/** What the stores hold right now, read as an auditor would, beside the running worker. */
async function census(dataDir: string): Promise<Census> {
  const { events, objects } = await inspectStores(dataDir);
  const count = (type: string): Map<string, number> => {
    const m = new Map<string, number>();
    for (const e of events) if (e.type === type) m.set(e.streamId, (m.get(e.streamId) ?? 0) + 1);
    return m;
  };
  return {
    expired: count('RetentionExpired'),
    destroyed: count('PayloadDestroyed'),
    objects: new Set(objects),
  };
}

async function until(what: string, check: () => Promise<boolean>, worker?: BuiltProcess): Promise<void> {
  const deadline = Date.now() + WAIT_MS;
  while (!(await check())) {
    if (Date.now() > deadline)
      throw new Error(`timed out waiting for ${what}\n${(worker?.output() ?? '').slice(-4000)}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

const maxCount = (m: Map<string, number>): number => Math.max(0, ...m.values());

/**
 * docs/architecture.md §18.5 with the real parts: the worker process (apps/worker) on BullMQ and a real
 * redis-server, killed at each step of a destruction, and Redis itself killed in the middle of a sweep. Each
 * restart must finish what was begun, and at the end every document is destroyed exactly once: one
 * RetentionExpired, one PayloadDestroyed, no object.
 */
describe('retention: the worker killed at each step, and Redis stopped mid-sweep', () => {
  let dataDir: string;
  let redis: RedisServerProcess;
  const workers: BuiltProcess[] = [];
  let streams: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'accord-retention-worker-'));
    redis = await RedisServerProcess.start(process.env.REDIS_SERVER_BIN);
    // Seeded by an api on the same DATA_DIR (in-process scheduler, a daily sweep), closed before any worker.
    const w = await buildRetentionWorld({ DATA_DIR: dataDir });
    for (let i = 0; i < DOCUMENTS; i += 1)
      streams.push(documentStreamId((await w.shareDocument(RETAIN_MS)).documentId));
    await w.close();
    await new Promise((r) => setTimeout(r, RETAIN_MS + 100));
  });
  afterAll(async () => {
    for (const { child } of workers)
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGKILL');
    await redis?.stop();
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
    streams = [];
  });

  it('dies after RetentionExpired: the object is still there and nothing claims it was destroyed', async () => {
    const worker = startWorker(dataDir, redis.url, { ACCORD_FAULT: 'destroy-after-expired' });
    workers.push(worker);
    expect(await worker.exited).toEqual({ code: 137, signal: null });
    const c = await census(dataDir);
    expect(c.expired.size).toBeGreaterThanOrEqual(1);
    expect(maxCount(c.expired)).toBe(1);
    expect(c.destroyed.size).toBe(0);
    expect(c.objects.size).toBe(DOCUMENTS);
  });

  it('dies after the delete: an object is gone, PayloadDestroyed not yet appended, RetentionExpired not repeated', async () => {
    const worker = startWorker(dataDir, redis.url, { ACCORD_FAULT: 'destroy-after-delete' });
    workers.push(worker);
    expect(await worker.exited).toEqual({ code: 137, signal: null });
    const c = await census(dataDir);
    expect(c.objects.size).toBeLessThan(DOCUMENTS);
    expect(c.destroyed.size).toBe(0);
    expect(maxCount(c.expired)).toBe(1);
  });

  it('a clean worker, with Redis killed mid-sweep and started again, destroys every document exactly once', async () => {
    const worker = startWorker(dataDir, redis.url);
    workers.push(worker);
    await until('the first destruction', async () => (await census(dataDir)).destroyed.size > 0, worker);
    await redis.kill();
    const atOutage = await census(dataDir);
    await new Promise((r) => setTimeout(r, 1000));
    await redis.restart(0);
    await until(
      'every document destroyed',
      async () => (await census(dataDir)).destroyed.size === DOCUMENTS,
      worker,
    );
    // One more sweep interval or two: nothing may be appended twice after the work is done.
    await new Promise((r) => setTimeout(r, 1000));
    const end = await census(dataDir);
    expect(worker.child.exitCode).toBeNull();
    expect([...end.destroyed.keys()].sort()).toEqual([...streams].sort());
    expect(maxCount(end.destroyed)).toBe(1);
    expect([...end.expired.keys()].sort()).toEqual([...streams].sort());
    expect(maxCount(end.expired)).toBe(1);
    expect(end.objects.size).toBe(0);
    // The outage came with work left, so the resumption did real work (not a test of an idle queue).
    expect(atOutage.destroyed.size).toBeLessThan(DOCUMENTS);
    worker.child.kill('SIGTERM');
    await worker.exited;
  }, 120_000);
});

import { RedisServerProcess } from '../../libs/jobs/src/adapters/bullmq/redis-server.fixture';
import { buildRetentionWorld, retentionCounts, RetentionWorld } from './support/retention-world';

const MINUTE = 60_000;

/**
 * The same retention code on BullMQ (REDIS_URL): a real redis-server started for this suite (append-only,
 * temp dir), the api's scheduler a BullMQ worker. Sweeps overlapping on purpose: the deterministic job ids
 * de-duplicate the queue and the stream checks de-duplicate the work.
 */
describe('retention on BullMQ (real redis-server)', () => {
  let redis: RedisServerProcess;
  let w: RetentionWorld;

  beforeAll(async () => {
    redis = await RedisServerProcess.start(process.env.REDIS_SERVER_BIN);
    w = await buildRetentionWorld({ REDIS_URL: redis.url });
  });
  afterAll(async () => {
    await w?.close();
    await redis?.stop();
  });

  it('runs on the bullmq adapter and reports it healthy', async () => {
    expect(w.scheduler.adapter).toBe('bullmq');
    const health = await w.world.client().ok('GET', '/health', 200);
    expect(health.body.ports.scheduler).toMatchObject({ ok: true, adapter: 'bullmq', state: 'running' });
  });

  it('destroys every document past retainUntil once, however many sweeps queue it', async () => {
    const docs = [
      await w.shareDocument(MINUTE),
      await w.shareDocument(MINUTE),
      await w.shareDocument(MINUTE),
    ];
    const held = await w.shareDocument(MINUTE);
    await w.lead('sender').ok('POST', `/documents/${held.documentId}/legal-hold`, 201, {
      body: { reason: 'inquiry' },
    });
    w.advance(2 * MINUTE);
    await w.settle();
    const queued = await Promise.all([w.sweep.sweep(), w.sweep.sweep(), w.sweep.sweep()]);
    for (const ids of queued) expect(ids).not.toContain(held.documentId);
    await w.scheduler.idle({ timeoutMs: 20_000 });
    await w.settle();

    for (const { documentId, objectKey } of docs) {
      expect(await w.objects.head(objectKey)).toBeNull();
      expect(await retentionCounts(w, documentId)).toEqual({ RetentionExpired: 1, PayloadDestroyed: 1 });
    }
    expect(await w.objects.head(held.objectKey)).not.toBeNull();
    expect(await retentionCounts(w, held.documentId)).toEqual({ RetentionExpired: 0, PayloadDestroyed: 0 });

    // Released: destroyed through the queue too, still once.
    await w.lead('sender').ok('DELETE', `/documents/${held.documentId}/legal-hold`, 200, {
      body: { reason: 'inquiry closed' },
    });
    await w.scheduler.idle({ timeoutMs: 20_000 });
    await w.sweepAndSettle();
    expect(await w.objects.head(held.objectKey)).toBeNull();
    expect(await retentionCounts(w, held.documentId)).toEqual({ RetentionExpired: 1, PayloadDestroyed: 1 });
  });
});

import { randomBytes } from 'node:crypto';
import { Queue } from 'bullmq';
import { Redis } from 'ioredis';
import { silentSchedulerLogger } from '../../job-registry';
import { SchedulerHarness, testScheduler } from '../../scheduler.contract';
import { waitFor } from '../../scheduler.fixtures';
import { createBullmqScheduler } from './bullmq.config';
import { bullmqRedisOptions } from './bullmq.connection';
import { BullmqScheduler } from './bullmq.scheduler';
import { RedisServerProcess } from './redis-server.fixture';

/*
 * With REDIS_URL set this runs against that server; otherwise it starts a real redis-server on 127.0.0.1
 * on a free port (append-only, in a temp dir) and kills it at the end. Every scheduler gets its own key
 * prefix, removed afterwards, so a shared server is fine. The restart cases need a server of our own.
 */
const external = process.env.REDIS_URL;
let server: RedisServerProcess | undefined;
let url: string;

beforeAll(async () => {
  if (external) url = external;
  else {
    server = await RedisServerProcess.start(process.env.REDIS_SERVER_BIN);
    url = server.url;
  }
});

afterAll(async () => {
  await server?.stop();
});

const newPrefix = (): string => `accord-test-${randomBytes(4).toString('hex')}`;

const open = (prefix: string): BullmqScheduler =>
  createBullmqScheduler({ redisUrl: url, prefix, logger: silentSchedulerLogger, maxReconnectDelayMs: 100 });

async function dropPrefix(prefix: string): Promise<void> {
  const redis = new Redis(url, { maxRetriesPerRequest: 3 });
  try {
    for await (const keys of redis.scanStream({ match: `${prefix}:*`, count: 500 }) as AsyncIterable<
      string[]
    >)
      if (keys.length > 0) await redis.del(...keys);
  } finally {
    redis.disconnect();
  }
}

testScheduler(external ? 'bullmq (REDIS_URL)' : 'bullmq on a local redis-server', {
  async create(): Promise<SchedulerHarness> {
    const prefix = newPrefix();
    const scheduler = open(prefix);
    return {
      scheduler,
      async cleanup() {
        await scheduler.stop();
        await dropPrefix(prefix);
      },
      restartBackend: server ? () => server!.restart() : undefined,
    };
  },
});

describe('BullmqScheduler', () => {
  let prefix: string;
  const schedulers: BullmqScheduler[] = [];
  const node = (): BullmqScheduler => {
    const s = open(prefix);
    schedulers.push(s);
    return s;
  };
  beforeEach(() => {
    prefix = newPrefix();
  });
  afterEach(async () => {
    await Promise.all(schedulers.splice(0).map((s) => s.stop()));
    await dropPrefix(prefix);
  });

  it('keeps one job scheduler per name across nodes, and runs each iteration on one node only', async () => {
    const ran: string[] = [];
    const [a, b] = [node(), node()];
    for (const s of [a, b]) {
      s.register('sweep', async (job) => void ran.push(job.id));
      await s.repeat('sweep', 50);
    }
    await Promise.all([a.start(), b.start()]);
    await waitFor(() => ran.length >= 4);
    expect(new Set(ran).size).toBe(ran.length);
    const redis = new Redis(url, bullmqRedisOptions());
    const queue = new Queue('sweep', { connection: redis, prefix });
    try {
      expect(await queue.getJobSchedulersCount()).toBe(1);
    } finally {
      await queue.close();
      redis.disconnect();
    }
  });

  it('stores our job ids with ":" escaped, as BullMQ refuses most ids containing one', async () => {
    const s = node();
    s.register('destroy', async () => undefined);
    await s.enqueue('destroy', { documentId: 'd-1' }, { jobId: 'retention:d-1', delayMs: 60_000 });
    const redis = new Redis(url);
    try {
      expect(await redis.exists(`${prefix}:destroy:retention%3Ad-1`)).toBe(1);
      expect(await redis.hget(`${prefix}:destroy:retention%3Ad-1`, 'data')).toBe('{"documentId":"d-1"}');
    } finally {
      redis.disconnect();
    }
  });

  it('reports an unreachable Redis in health without hanging, and stops cleanly', async () => {
    const s = createBullmqScheduler({
      redisUrl: 'redis://127.0.0.1:1',
      prefix,
      logger: silentSchedulerLogger,
    });
    schedulers.push(s);
    s.register('destroy', async () => undefined);
    await s.start();
    await waitFor(async () => (await s.health()).detail?.includes('ECONNREFUSED') === true);
    expect(await s.health()).toMatchObject({ ok: false, adapter: 'bullmq', state: 'running' });
  });

  (external ? it.skip : it)(
    'reports Redis down while it is, keeps an enqueue made meanwhile, and runs it once Redis is back',
    async () => {
      const s = node();
      const ran: string[] = [];
      s.register('destroy', async (job) => void ran.push(job.id));
      await s.start();
      expect(await s.health()).toMatchObject({ ok: true });
      await server!.kill();
      await waitFor(async () => !(await s.health()).ok);
      expect((await s.health()).detail).toMatch(/^redis /);
      // Held in the connection's offline queue rather than failed: the caller's await just lasts longer.
      const late = s.enqueue('destroy', { documentId: 'd-7' }, { jobId: 'retention:d-7' });
      await server!.restart(0);
      await late;
      await s.idle({ timeoutMs: 10_000 });
      expect(ran).toEqual(['retention:d-7']);
      expect(await s.health()).toMatchObject({ ok: true });
    },
  );
});

import { RedisServerProcess } from '../../../jobs/src/adapters/bullmq/redis-server.fixture';
import { AbuseCounters, InMemoryAbuseCounters } from './abuse-counters';
import { problemForError } from '../http/problem-for-error';
import { AbuseCountersUnavailableError, RedisAbuseCounters } from './redis-abuse-counters';

/**
 * One contract for both adapters of the abuse counters: the in-memory one and the Redis one against a real
 * redis-server started here. The Redis cases also check what only a shared store can do: two api nodes
 * (two connections) see one count.
 */
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
let keys = 0;
const key = (name: string) => `${name}|${process.pid}|${++keys}`;

function contract(name: string, make: () => AbuseCounters) {
  describe(`abuse counters contract: ${name}`, () => {
    let counters: AbuseCounters;
    beforeEach(() => (counters = make()));
    afterEach(() => counters.close());

    it('counts within a window and starts again from zero after it', async () => {
      const k = key('window');
      expect(await counters.peek(k)).toEqual({ count: 0, resetInMs: 0 });
      expect((await counters.add(k, 2, 300)).count).toBe(2);
      const second = await counters.add(k, 3, 300);
      expect(second.count).toBe(5);
      expect(second.resetInMs).toBeGreaterThan(0);
      expect(second.resetInMs).toBeLessThanOrEqual(300);
      expect((await counters.peek(k)).count).toBe(5);
      await sleep(450);
      expect((await counters.peek(k)).count).toBe(0);
      expect((await counters.add(k, 1, 300)).count).toBe(1);
    });

    it('hands out at most max slots, and a released slot can be taken again', async () => {
      const k = key('slots');
      expect(await counters.acquire(k, 2)).toBe(true);
      expect(await counters.acquire(k, 2)).toBe(true);
      expect(await counters.acquire(k, 2)).toBe(false);
      await counters.release(k);
      expect(await counters.acquire(k, 2)).toBe(true);
      expect(await counters.acquire(k, 2)).toBe(false);
    });

    it('races for slots never hand out more than max', async () => {
      const k = key('race');
      const taken = await Promise.all(Array.from({ length: 20 }, () => counters.acquire(k, 5)));
      expect(taken.filter(Boolean)).toHaveLength(5);
    });

    it('remembers the first value under a key until forgotten by that value', async () => {
      const k = key('remember');
      expect(await counters.remember(k, 'a', 10_000)).toBe('a');
      expect(await counters.remember(k, 'b', 10_000)).toBe('a');
      await counters.forget(k, 'b');
      expect(await counters.remember(k, 'b', 10_000)).toBe('a');
      await counters.forget(k, 'a');
      expect(await counters.remember(k, 'b', 10_000)).toBe('b');
    });

    it('forgets a remembered value after its time to live', async () => {
      const k = key('ttl');
      expect(await counters.remember(k, 'a', 200)).toBe('a');
      await sleep(350);
      expect(await counters.remember(k, 'b', 200)).toBe('b');
    });
  });
}

contract('in memory', () => new InMemoryAbuseCounters());

describe('Redis abuse counters (real redis-server)', () => {
  let redis: RedisServerProcess;
  beforeAll(async () => (redis = await RedisServerProcess.start()));
  afterAll(() => redis?.stop());

  contract('redis', () => RedisAbuseCounters.connect(redis.url));

  it('two nodes share one count, one slot cap and one fingerprint', async () => {
    const a = RedisAbuseCounters.connect(redis.url);
    const b = RedisAbuseCounters.connect(redis.url);
    try {
      const k = key('shared');
      await a.add(k, 4, 10_000);
      expect((await b.add(k, 1, 10_000)).count).toBe(5);
      expect((await a.peek(k)).count).toBe(5);
      const s = key('shared-slot');
      expect(await a.acquire(s, 1)).toBe(true);
      expect(await b.acquire(s, 1)).toBe(false);
      await a.release(s);
      expect(await b.acquire(s, 1)).toBe(true);
      const f = key('shared-fingerprint');
      expect(await a.remember(f, 'body-1', 10_000)).toBe('body-1');
      expect(await b.remember(f, 'body-2', 10_000)).toBe('body-1');
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('with Redis down, a count fails as unavailable (503), never passes uncounted', async () => {
    const counters = RedisAbuseCounters.connect(redis.url);
    try {
      await counters.add(key('down'), 1, 10_000);
      await redis.kill();
      const error = await counters.add(key('down'), 1, 10_000).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(error).toBeInstanceOf(AbuseCountersUnavailableError);
      expect(problemForError(error)).toMatchObject({ status: 503, code: 'service-unavailable' });
    } finally {
      await counters.close();
      await redis.restart(0);
    }
  });
});

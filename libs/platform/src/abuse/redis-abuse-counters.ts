import Redis from 'ioredis';
import { AbuseCounters, WindowCount } from './abuse-counters';

/**
 * The abuse counters in Redis, shared by every api node (docs/architecture.md §38): a client spreading its
 * guesses or uploads over N nodes meets one burst, one quota and one concurrency cap, not N. Each operation
 * is one Lua script, so a count and its expiry change together even when nodes race.
 *
 * Concurrency slots carry an expiry too (SLOT_TTL_MS, renewed on every take): a node killed mid-upload
 * never releases its slot, and without the expiry the organisation would lose it for good.
 */
const PREFIX = 'accord:abuse:';
export const SLOT_TTL_MS = 60 * 60 * 1000;

/** INCRBY, and open the window (PEXPIRE) only when the key has none: returns {count, ms left}. */
const ADD = `
local c = redis.call('INCRBY', KEYS[1], ARGV[1])
local t = redis.call('PTTL', KEYS[1])
if t < 0 then redis.call('PEXPIRE', KEYS[1], ARGV[2]); t = tonumber(ARGV[2]) end
return {c, t}`;
const PEEK = `
local c = redis.call('GET', KEYS[1])
if not c then return {0, 0} end
return {tonumber(c), math.max(redis.call('PTTL', KEYS[1]), 0)}`;
const ACQUIRE = `
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n >= tonumber(ARGV[1]) then return 0 end
redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return 1`;
const RELEASE = `
local n = tonumber(redis.call('GET', KEYS[1]) or '0')
if n <= 1 then redis.call('DEL', KEYS[1]) else redis.call('DECR', KEYS[1]) end
return 0`;
const REMEMBER = `
local held = redis.call('GET', KEYS[1])
if held then return held end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return ARGV[1]`;
const FORGET = `
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('DEL', KEYS[1]) end
return 0`;

/**
 * Redis did not answer: the request fails as unavailable (503) rather than passing uncounted, which would
 * turn a Redis outage into a way around the limits.
 */
export class AbuseCountersUnavailableError extends Error {
  readonly code = 'service-unavailable';
  readonly status = 503;
  readonly title = 'Service unavailable';
  constructor(cause: unknown) {
    super('the abuse counters (Redis) are unavailable', { cause });
    this.name = 'AbuseCountersUnavailableError';
  }
}

export class RedisAbuseCounters implements AbuseCounters {
  private constructor(private readonly redis: Redis) {}

  /**
   * Connects on first use (a process that never counts, the worker, never connects); a command waits for the
   * connection and fails after a few retries if Redis stays unreachable, so a request fails rather than hangs.
   */
  static connect(url: string): RedisAbuseCounters {
    return new RedisAbuseCounters(new Redis(url, { lazyConnect: true, maxRetriesPerRequest: 3 }));
  }

  async peek(key: string): Promise<WindowCount> {
    const [count, resetInMs] = (await this.eval(PEEK, PREFIX + key)) as [number, number];
    return { count, resetInMs };
  }

  async add(key: string, amount: number, windowMs: number): Promise<WindowCount> {
    const [count, resetInMs] = (await this.eval(ADD, PREFIX + key, amount, windowMs)) as [number, number];
    return { count, resetInMs };
  }

  async acquire(key: string, max: number): Promise<boolean> {
    return (await this.eval(ACQUIRE, PREFIX + key, max, SLOT_TTL_MS)) === 1;
  }

  async release(key: string): Promise<void> {
    await this.eval(RELEASE, PREFIX + key);
  }

  async remember(key: string, value: string, ttlMs: number): Promise<string> {
    return (await this.eval(REMEMBER, PREFIX + key, value, ttlMs)) as string;
  }

  async forget(key: string, value: string): Promise<void> {
    await this.eval(FORGET, PREFIX + key, value);
  }

  private async eval(script: string, ...args: (string | number)[]): Promise<unknown> {
    try {
      return await this.redis.eval(script, 1, ...args);
    } catch (error) {
      throw new AbuseCountersUnavailableError(error);
    }
  }

  async close(): Promise<void> {
    await this.redis.quit().catch(() => this.redis.disconnect());
  }
}

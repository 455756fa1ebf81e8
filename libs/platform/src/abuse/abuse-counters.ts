/*
 * The counters behind throttling, upload quotas and the Idempotency-Key fingerprint check (issue 12,
 * docs/architecture.md §7, §38). A small port with two adapters: in memory (one node; the default) and
 * Redis (RedisAbuseCounters, chosen when REDIS_URL is set), so that several api nodes behind a balancer
 * share one count instead of granting a client N times each burst. Asynchronous because Redis is.
 */

export interface WindowCount {
  count: number;
  /** Milliseconds until the window ends and the count starts again from zero. */
  resetInMs: number;
}

export interface AbuseCounters {
  /** The count under key in its current window (0 when none). */
  peek(key: string): Promise<WindowCount>;
  /** Adds amount to the key's window, opening a window of windowMs if none is open; returns the new count. */
  add(key: string, amount: number, windowMs: number): Promise<WindowCount>;
  /** Takes one of `max` slots under key; false when all are taken. Every true must be released once. */
  acquire(key: string, max: number): Promise<boolean>;
  release(key: string): Promise<void>;
  /**
   * Records `value` under key for ttlMs if nothing is recorded there; answers what is recorded (the value
   * just set, or the earlier one). `forget` drops it.
   */
  remember(key: string, value: string, ttlMs: number): Promise<string>;
  forget(key: string, value: string): Promise<void>;
  close(): Promise<void>;
}

export const ABUSE_COUNTERS = Symbol('ABUSE_COUNTERS');

/** Beyond this many live keys, expired ones are swept before adding: a flood of new keys costs bounded memory. */
const SWEEP_ABOVE = 50_000;

export class InMemoryAbuseCounters implements AbuseCounters {
  private readonly windows = new Map<string, { count: number; until: number }>();
  private readonly slots = new Map<string, number>();
  private readonly remembered = new Map<string, { value: string; until: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  async peek(key: string): Promise<WindowCount> {
    const w = this.windows.get(key);
    const t = this.now();
    if (!w || w.until <= t) return { count: 0, resetInMs: 0 };
    return { count: w.count, resetInMs: w.until - t };
  }

  async add(key: string, amount: number, windowMs: number): Promise<WindowCount> {
    const t = this.now();
    let w = this.windows.get(key);
    if (!w || w.until <= t) {
      if (this.windows.size > SWEEP_ABOVE) sweep(this.windows, t);
      w = { count: 0, until: t + windowMs };
      this.windows.set(key, w);
    }
    w.count += amount;
    return { count: w.count, resetInMs: w.until - t };
  }

  async acquire(key: string, max: number): Promise<boolean> {
    const taken = this.slots.get(key) ?? 0;
    if (taken >= max) return false;
    this.slots.set(key, taken + 1);
    return true;
  }

  async release(key: string): Promise<void> {
    const taken = (this.slots.get(key) ?? 0) - 1;
    if (taken > 0) this.slots.set(key, taken);
    else this.slots.delete(key);
  }

  async remember(key: string, value: string, ttlMs: number): Promise<string> {
    const t = this.now();
    const held = this.remembered.get(key);
    if (held && held.until > t) return held.value;
    if (this.remembered.size > SWEEP_ABOVE) sweep(this.remembered, t);
    this.remembered.set(key, { value, until: t + ttlMs });
    return value;
  }

  async forget(key: string, value: string): Promise<void> {
    if (this.remembered.get(key)?.value === value) this.remembered.delete(key);
  }

  async close(): Promise<void> {}
}

function sweep(map: Map<string, { until: number }>, now: number): void {
  for (const [k, v] of map) if (v.until <= now) map.delete(k);
}

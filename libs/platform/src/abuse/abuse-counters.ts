/*
 * The counters behind throttling, upload quotas and the Idempotency-Key fingerprint check (issue 12,
 * docs/architecture.md §7). A small port so the in-memory adapter (one node) can be replaced by a Redis one
 * for cluster mode (INCRBY + PEXPIRE, SET NX): today each api node counts on its own, so with N nodes
 * behind a balancer a client gets up to N times each burst. That is stated in docs/operations.md.
 */

export interface WindowCount {
  count: number;
  /** Milliseconds until the window ends and the count starts again from zero. */
  resetInMs: number;
}

export interface AbuseCounters {
  /** The count under key in its current window (0 when none). */
  peek(key: string): WindowCount;
  /** Adds amount to the key's window, opening a window of windowMs if none is open; returns the new count. */
  add(key: string, amount: number, windowMs: number): WindowCount;
  /** Takes one of `max` slots under key; false when all are taken. Every true must be released once. */
  acquire(key: string, max: number): boolean;
  release(key: string): void;
  /**
   * Records `value` under key for ttlMs if nothing is recorded there; answers what is recorded (the value
   * just set, or the earlier one). `forget` drops it.
   */
  remember(key: string, value: string, ttlMs: number): string;
  forget(key: string, value: string): void;
}

export const ABUSE_COUNTERS = Symbol('ABUSE_COUNTERS');

/** Beyond this many live keys, expired ones are swept before adding: a flood of new keys costs bounded memory. */
const SWEEP_ABOVE = 50_000;

export class InMemoryAbuseCounters implements AbuseCounters {
  private readonly windows = new Map<string, { count: number; until: number }>();
  private readonly slots = new Map<string, number>();
  private readonly remembered = new Map<string, { value: string; until: number }>();

  constructor(private readonly now: () => number = Date.now) {}

  peek(key: string): WindowCount {
    const w = this.windows.get(key);
    const t = this.now();
    if (!w || w.until <= t) return { count: 0, resetInMs: 0 };
    return { count: w.count, resetInMs: w.until - t };
  }

  add(key: string, amount: number, windowMs: number): WindowCount {
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

  acquire(key: string, max: number): boolean {
    const taken = this.slots.get(key) ?? 0;
    if (taken >= max) return false;
    this.slots.set(key, taken + 1);
    return true;
  }

  release(key: string): void {
    const taken = (this.slots.get(key) ?? 0) - 1;
    if (taken > 0) this.slots.set(key, taken);
    else this.slots.delete(key);
  }

  remember(key: string, value: string, ttlMs: number): string {
    const t = this.now();
    const held = this.remembered.get(key);
    if (held && held.until > t) return held.value;
    if (this.remembered.size > SWEEP_ABOVE) sweep(this.remembered, t);
    this.remembered.set(key, { value, until: t + ttlMs });
    return value;
  }

  forget(key: string, value: string): void {
    if (this.remembered.get(key)?.value === value) this.remembered.delete(key);
  }
}

function sweep(map: Map<string, { until: number }>, now: number): void {
  for (const [k, v] of map) if (v.until <= now) map.delete(k);
}

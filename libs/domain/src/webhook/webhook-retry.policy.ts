/**
 * Waits after each failed attempt, as multiples of the base (10 s by default): 10 s, 1 min, 5 min, 30 min,
 * 2 h, 6 h. Seven attempts span about nine hours, long enough to ride out a receiver's bad night without
 * holding a breach notice for days. Attempts beyond the list wait as long as the last step.
 */
export const RETRY_MULTIPLIERS: readonly number[] = [1, 6, 30, 180, 720, 2160];

/** Milliseconds to wait after failed attempt `attempt` (1-based). */
export function retryDelayMs(attempt: number, baseMs: number): number {
  const index = Math.min(Math.max(attempt, 1), RETRY_MULTIPLIERS.length) - 1;
  return RETRY_MULTIPLIERS[index]! * baseMs;
}

/**
 * An attempt with no recorded outcome after this long is taken to have died with its process: a later
 * dispatcher attempts again (the receiver may get the notice twice; it de-duplicates on the delivery id).
 */
export const ATTEMPT_LEASE_MS = 60_000;

/** A 2xx answer delivers; a redirect, any other status or no answer fails the attempt. */
export function isDeliveredStatus(status: number): boolean {
  return status >= 200 && status <= 299;
}

import { SchedulerTimeoutError } from './errors';

export const DEFAULT_IDLE_TIMEOUT_MS = 30_000;

export interface IdleWaiter {
  promise: Promise<void>;
  resolve(): void;
}

/**
 * A promise that something resolves when the scheduler goes idle, or that rejects after timeoutMs. Its
 * timer is kept referenced on purpose: whoever awaits idle() wants the process alive until it settles.
 */
export function idleWaiter(timeoutMs = DEFAULT_IDLE_TIMEOUT_MS, onSettle: () => void): IdleWaiter {
  let settle!: (error?: Error) => void;
  const promise = new Promise<void>((resolve, reject) => {
    const timer = setTimeout(
      () => settle(new SchedulerTimeoutError(`jobs still pending or active after ${timeoutMs} ms`)),
      timeoutMs,
    );
    settle = (error) => {
      clearTimeout(timer);
      onSettle();
      if (error) reject(error);
      else resolve();
    };
  });
  return { promise, resolve: () => settle() };
}

/** Polls check until it answers true; for backends that cannot tell us when they go idle. */
export async function pollUntil(
  check: () => Promise<boolean>,
  timeoutMs = DEFAULT_IDLE_TIMEOUT_MS,
  intervalMs = 20,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check()) return;
    if (Date.now() >= deadline)
      throw new SchedulerTimeoutError(`jobs still pending or active after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, intervalMs));
  }
}

import { JobFailure, Scheduler } from './scheduler.port';

/** Helpers for scheduler tests: bounded polls instead of fixed sleeps, so slow CI machines only wait longer. */
export const WAIT_MS = 10_000;

export function collectFailures(scheduler: Scheduler): JobFailure[] {
  const failures: JobFailure[] = [];
  scheduler.onFailed((f) => failures.push(f));
  return failures;
}

export async function waitFor(
  condition: () => boolean | Promise<boolean>,
  timeoutMs = WAIT_MS,
): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`condition not met within ${timeoutMs} ms`);
    await sleep(10);
  }
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

export function gate(): { promise: Promise<void>; open(): void } {
  let open!: () => void;
  const promise = new Promise<void>((r) => (open = r));
  return { promise, open };
}

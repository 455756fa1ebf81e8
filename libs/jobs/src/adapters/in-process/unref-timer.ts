/** Node clamps longer timeouts to 1 ms (with a warning), so a long delay is waited out in steps. */
const MAX_TIMEOUT_MS = 2 ** 31 - 1;

/**
 * A timeout that never holds the process open: the embedded scheduler lives inside the api process, and
 * a pending retry or the next sweep must not stop that process from exiting once everything else is done.
 */
export class UnrefTimer {
  private handle: NodeJS.Timeout | undefined;

  constructor(ms: number, fn: () => void) {
    this.arm(Math.max(0, ms), fn);
  }

  cancel(): void {
    if (this.handle) clearTimeout(this.handle);
    this.handle = undefined;
  }

  private arm(ms: number, fn: () => void): void {
    const step = Math.min(ms, MAX_TIMEOUT_MS);
    this.handle = setTimeout(() => {
      this.handle = undefined;
      if (ms > step) this.arm(ms - step, fn);
      else fn();
    }, step);
    this.handle.unref();
  }
}

import { ProjectionWaitTimeoutError } from './errors';

interface Waiter {
  position: number;
  resolve: () => void;
  timer: NodeJS.Timeout;
}

/** Callers waiting for the read models to reach a position (read-your-writes after an append). */
export class PositionWaiters {
  private readonly waiters = new Set<Waiter>();

  constructor(private readonly reached: () => number) {}

  wait(position: number, timeoutMs: number): Promise<void> {
    if (this.reached() >= position) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const waiter: Waiter = {
        position,
        resolve,
        timer: setTimeout(() => {
          this.waiters.delete(waiter);
          reject(new ProjectionWaitTimeoutError(position, this.reached(), timeoutMs));
        }, timeoutMs),
      };
      this.waiters.add(waiter);
    });
  }

  /** Called after each commit; cheap when nobody waits, which is the common case during catch-up. */
  settle(): void {
    if (this.waiters.size === 0) return;
    const reached = this.reached();
    for (const w of this.waiters) {
      if (w.position > reached) continue;
      clearTimeout(w.timer);
      this.waiters.delete(w);
      w.resolve();
    }
  }
}

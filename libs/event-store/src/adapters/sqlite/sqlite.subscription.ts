import { RecordedEvent } from '../../envelope';
import { SubscribeOptions, Subscription } from '../../event-store.port';

const DEFAULT_BATCH_SIZE = 500;

/**
 * One loop reads the page after its position, awaits onEvents, then moves its position: so every event is
 * delivered once and in order, and a slow consumer slows the reads (back-pressure). When it has caught up it
 * sleeps until the store wakes it after a commit, or until the poll interval passes, which is how appends
 * made by another process on the same file are seen.
 */
export class SqliteSubscription implements Subscription {
  private current: number;
  private closed = false;
  private wakeSleeper: (() => void) | undefined;
  /** A wake that came while a page was being read (asynchronously) is not lost: the loop reads again. */
  private woken = false;

  constructor(
    /** Synchronous for SQLite; the PostgreSQL adapter reuses this loop with a query. */
    private readonly readPage: (after: number, limit: number) => RecordedEvent[] | Promise<RecordedEvent[]>,
    private readonly options: SubscribeOptions,
    private readonly pollIntervalMs: number,
    private readonly onClosed: (s: SqliteSubscription) => void,
  ) {
    this.current = options.after ?? 0;
    // Start on a later turn so the caller holds the subscription before the first batch arrives.
    setImmediate(() => void this.run());
  }

  get position(): number {
    return this.current;
  }

  /** Called by the store after each commit. */
  wake(): void {
    this.woken = true;
    this.wakeSleeper?.();
  }

  /** No batch starts after this; a batch already handed to onEvents finishes on its own. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.onClosed(this);
    this.wake();
  }

  private async run(): Promise<void> {
    const batchSize = Math.max(1, this.options.batchSize ?? DEFAULT_BATCH_SIZE);
    try {
      while (!this.closed) {
        this.woken = false;
        const events = await this.readPage(this.current, batchSize);
        if (this.closed) return;
        if (events.length === 0) {
          await this.sleep();
          continue;
        }
        this.current = events[events.length - 1]!.position;
        await this.options.onEvents(events);
      }
    } catch (error) {
      const wasOpen = !this.closed;
      await this.close();
      if (!wasOpen) return;
      if (this.options.onError) this.options.onError(error);
      // Without a handler a failure must not pass silently: it surfaces as an unhandled rejection.
      else throw error;
    }
  }

  private sleep(): Promise<void> {
    if (this.woken) return Promise.resolve();
    return new Promise((resolve) => {
      const done = (): void => {
        clearTimeout(timer);
        this.wakeSleeper = undefined;
        resolve();
      };
      const timer = setTimeout(done, this.pollIntervalMs);
      this.wakeSleeper = done;
    });
  }
}

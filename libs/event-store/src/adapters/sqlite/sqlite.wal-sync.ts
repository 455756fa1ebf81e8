import { closeSync, fdatasync, fdatasyncSync, openSync } from 'node:fs';
import { dirname } from 'node:path';
import { promisify } from 'node:util';
import { EventStoreUnavailableError } from '../../errors';
import { syncPath } from '../../sync-path';

/** Makes what was written to a file durable (fdatasync on the libuv pool by default). */
export type SyncFile = (fd: number) => Promise<void>;

const fdatasyncAsync: SyncFile = promisify(fdatasync);

interface Waiter {
  ticket: number;
  resolve: () => void;
  reject: (error: unknown) => void;
}

/**
 * The commit's fsync off the event loop (docs/architecture.md §37.4). The events file runs with
 * synchronous=NORMAL, so a COMMIT writes its WAL frames without syncing them; this syncs the WAL file from
 * the thread pool, and nothing is acknowledged or shown until a sync that started after its COMMIT has
 * completed. One sync covers every commit made before it started (the WAL is one file, written in order),
 * so syncs coalesce: at most one in flight, and one more for every commit that arrives meanwhile.
 *
 * A failed sync is final: after a failed fsync the kernel may have dropped the dirty pages and marked them
 * clean, so a later sync that succeeds proves nothing about them (PostgreSQL's fsync lesson, 2018). The
 * waiting commits are rejected and every later call fails with EventStoreUnavailableError until the store is
 * reopened, when the file is read (and synced) afresh.
 */
export class WalSync {
  /** The highest position covered by a completed sync: nothing past it is acknowledged or shown. */
  durableHead: number;
  /** Sync tickets handed out: one per commit (and per request to cover another process's commits). */
  private issued = 0;
  /** Tickets covered by the last completed sync. */
  private covered = 0;
  private inFlight = false;
  private waiters: Waiter[] = [];
  private failure: EventStoreUnavailableError | undefined;
  private readonly fd: number;

  constructor(
    /** The `-wal` file, which SQLite holds open (and so never deletes) while the store's connection is open. */
    walFile: string,
    /** The file's last position, read at the start of each sync: what that sync covers. */
    private readonly fileHead: () => number,
    /** Called when the durable head moves (wakes the subscriptions). */
    private readonly onDurable: () => void,
    private readonly syncFile: SyncFile = fdatasyncAsync,
  ) {
    this.fd = openSync(walFile, 'r+');
    // Commits another process (or this one, before a crash) made but never synced are synced now, before
    // anything is shown: the read models must never run ahead of the log after a power loss.
    fdatasyncSync(this.fd);
    // SQLite may have just created the WAL (it deletes it when the last connection closes), and with NORMAL
    // it never syncs the directory: the file's name must be durable before any commit in it is.
    syncPath(dirname(walFile));
    this.durableHead = fileHead();
  }

  /** Throws once a sync has failed. */
  assertHealthy(): void {
    if (this.failure) throw this.failure;
  }

  /** Resolves once a sync that started after this call has completed: it covers every commit made before. */
  afterNextSync(): Promise<void> {
    if (this.failure) return Promise.reject(this.failure);
    const ticket = ++this.issued;
    return new Promise<void>((resolve, reject) => {
      this.waiters.push({ ticket, resolve, reject });
      if (!this.inFlight) this.start();
    });
  }

  /** Waits until everything committed to the file when called is durable; returns the durable head. */
  async durableNow(): Promise<number> {
    this.assertHealthy();
    if (this.fileHead() > this.durableHead) await this.afterNextSync();
    return this.durableHead;
  }

  /**
   * Starts a sync when another process's commits are in the file and none of ours is waiting for one (ours
   * start their own): so a subscription sees what another process appended without waiting itself.
   */
  catchUpForeign(): void {
    if (this.failure || this.inFlight || this.waiters.length > 0) return;
    if (this.fileHead() > this.durableHead) this.afterNextSync().catch(() => undefined);
  }

  /** Waits for the syncs of every commit made so far (their appends settle first); never throws. */
  async drain(): Promise<void> {
    if (this.waiters.length === 0) return;
    await this.afterNextSync().catch(() => undefined);
  }

  close(): void {
    closeSync(this.fd);
  }

  private start(): void {
    this.inFlight = true;
    const covers = this.issued;
    // Read before the sync starts: every row at or below it was written to the WAL before the fdatasync.
    const head = this.fileHead();
    this.syncFile(this.fd).then(
      () => this.completed(covers, head),
      (error: unknown) => this.failed(error),
    );
  }

  private completed(covers: number, head: number): void {
    this.inFlight = false;
    if (this.failure) return;
    this.covered = covers;
    const moved = head > this.durableHead;
    if (moved) this.durableHead = head;
    // Tickets were issued in order, so the settled ones are a prefix of the queue.
    let n = 0;
    while (n < this.waiters.length && this.waiters[n]!.ticket <= this.covered) n++;
    const settled = this.waiters.splice(0, n);
    if (this.waiters.length > 0) this.start();
    for (const w of settled) w.resolve();
    if (moved) this.onDurable();
  }

  private failed(error: unknown): void {
    this.inFlight = false;
    const code = (error as { code?: unknown } | null)?.code;
    this.failure = new EventStoreUnavailableError(
      `the event log could not be made durable${typeof code === 'string' ? ` (${code})` : ''}; ` +
        'restart the service once the disk is fixed',
      { cause: error },
    );
    const waiting = this.waiters;
    this.waiters = [];
    for (const w of waiting) w.reject(this.failure);
    // Subscriptions read again and stop on the failure rather than sleep until their next poll.
    this.onDurable();
  }
}

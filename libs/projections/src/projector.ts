import type { RecordedEvent, Subscription } from '@accord/event-store';
import { backoffMs, InterruptibleSleeps } from './backoff';
import { BatchApplier } from './batch-applier';
import { CheckpointsMovedError, ProjectionApplyError } from './errors';
import { PositionWaiters } from './position-waiters';
import type { ReadDb } from './projection';
import { dropQueryIndexes } from './query-indexes';
import {
  PROJECTOR_DEFAULTS as DEFAULTS,
  ProjectorLogEntry,
  ProjectorOptions,
  ProjectorStatus,
} from './projector.types';
import { openReadDb } from './read-db';
import {
  REPLAY_CACHE_KIB,
  RebuildProgress,
  RebuildResult,
  rebuildReadModels,
  replayFromZero,
} from './rebuild';
import { StallDetector } from './stall-detector';

interface CatchUp {
  /** The log's head when the catch-up began: reaching it ends the catch-up. */
  readonly head: number;
  /** `CREATE INDEX` statements of the query-only indexes dropped for it, not built yet. */
  readonly indexes: string[];
  /** The connection's page cache before it (SQLite's `cache_size`), given back at the end. */
  readonly cacheSize: number;
}

/**
 * Keeps the read models up to date: catch-up from the lowest checkpoint, then live. Delivery from the store is
 * at least once; the checkpoints committed with each batch make it exactly once. A watchdog resubscribes when
 * the store is ahead and the checkpoint has not moved for `stallMs`: subscriptions can stall silently.
 */
export class Projector {
  private db: ReadDb | undefined;
  private applier: BatchApplier | undefined;
  private subscription: Subscription | undefined;
  /** Bumped whenever a subscription is abandoned, so its late deliveries are ignored. */
  private generation = 0;
  private running = false;
  private resubscribing = false;
  private starting: Promise<void> | undefined;
  private rebuilding: Promise<RebuildResult> | undefined;
  private rebuildAbort: AbortController | undefined;
  private watchdogTimer: NodeJS.Timeout | undefined;
  private ticking = false;
  private head = 0;
  private restarts = 0;
  private stalled = false;
  private subscriptionErrors = 0;
  private readonly stall: StallDetector;
  private failing: ProjectorStatus['failing'];
  private readonly sleeps = new InterruptibleSleeps();
  private readonly waiters = new PositionWaiters(() => this.position);
  /** A catch-up from zero under way, with what it changed until it reaches the head: §37.16. */
  private catchUp: CatchUp | undefined;

  constructor(private readonly options: ProjectorOptions) {
    this.stall = new StallDetector((options.watchdog || {}).stallMs ?? DEFAULTS.stallMs);
  }

  /** Lowest checkpoint over all projections: every event at or below it is visible in every read model. */
  get position(): number {
    return this.applier?.position ?? 0;
  }

  /** Resets outdated read models, subscribes and starts the watchdog; catch-up continues in the background. */
  start(): Promise<void> {
    if (this.running) return Promise.resolve();
    this.starting ??= this.open().finally(() => (this.starting = undefined));
    return this.starting;
  }

  private async open(): Promise<void> {
    if (!this.db) {
      this.db = typeof this.options.db === 'string' ? openReadDb(this.options.db) : this.options.db;
      this.applier = new BatchApplier(this.db, this.options.projections);
    }
    const head = await this.options.store.headPosition();
    const { rebuilt } = this.applier!.prepare(head);
    for (const projection of rebuilt)
      this.log({ level: 'info', message: 'read model reset for a rebuild', projection });
    this.beginCatchUp(head);
    this.head = head;
    this.running = true;
    this.subscribe();
    const wd = this.options.watchdog;
    if (wd !== false) {
      this.watchdogTimer = setInterval(() => void this.watch(), wd?.intervalMs ?? DEFAULTS.intervalMs);
      this.watchdogTimer.unref();
    }
    this.waiters.settle();
  }

  /**
   * A read model starting from zero (new, or reset by a version bump) with a log to catch up on is loaded as
   * the offline rebuild loads a fresh file, as far as the api serving meanwhile allows (docs/architecture.md
   * §37.16): its query-only indexes are built once from the rows after the catch-up, rather than kept up to
   * date through every insert (its tables are empty, so dropping them costs nothing), and the connection
   * gets a large page cache until then. Queries meanwhile answer from incomplete data anyway, now without
   * those indexes. A restart mid catch-up has them back from `migrate` (`IF NOT EXISTS`, run at every
   * start), built from the rows so far and kept up to date from there.
   */
  private beginCatchUp(head: number): void {
    this.catchUp = undefined;
    if (head === 0) return;
    const fromZero = new Set(this.applier!.snapshot().flatMap((c) => (c.position === 0 ? [c.name] : [])));
    const projections = this.options.projections.filter((p) => fromZero.has(p.name));
    if (projections.length === 0) return;
    const db = this.db!;
    const indexes = db.transaction(() => dropQueryIndexes(db, projections)).immediate();
    const cacheSize = db.pragma('cache_size', { simple: true }) as number;
    db.pragma(`cache_size = -${REPLAY_CACHE_KIB}`);
    this.catchUp = { head, indexes, cacheSize };
  }

  /**
   * Builds the deferred indexes, one per turn of the event loop so the api answers between them, then gives
   * the page cache back. Called from a delivery, before its waiters are settled, so the subscription waits
   * for it. An index that fails (the CLI holding the write lock) is tried again after the next batch, and a
   * restart's `migrate` builds it anyway.
   */
  private async finishCatchUp(catchUp: CatchUp): Promise<void> {
    while (catchUp.indexes.length > 0) {
      if (!this.running || this.catchUp !== catchUp) return;
      try {
        this.db!.exec(catchUp.indexes[0]!);
      } catch (error) {
        this.log({ level: 'warn', message: 'building a deferred query index failed', error });
        return;
      }
      catchUp.indexes.shift();
      await new Promise<void>((resolve) => setImmediate(resolve));
    }
    if (this.running && this.catchUp === catchUp) this.endCatchUp();
  }

  /** Gives the catch-up's page cache back; its deferred indexes, if any are left, come from the next migrate. */
  private endCatchUp(): void {
    const catchUp = this.catchUp;
    this.catchUp = undefined;
    if (catchUp && this.db?.open) this.db.pragma(`cache_size = ${catchUp.cacheSize}`);
  }

  async stop(): Promise<void> {
    await this.starting?.catch(() => undefined);
    if (!this.running) return;
    this.running = false;
    this.endCatchUp();
    clearInterval(this.watchdogTimer);
    this.generation++;
    this.sleeps.wakeAll();
    this.rebuildAbort?.abort();
    await this.closeSubscription();
    await this.rebuilding?.catch(() => undefined);
    if (typeof this.options.db === 'string') {
      this.db?.close();
      this.db = undefined;
    }
  }

  /** Resolves once every read model includes `position` (as returned by an append); rejects on timeout. */
  waitFor(position: number, timeoutMs: number): Promise<void> {
    return this.waiters.wait(position, timeoutMs);
  }

  /** Status with a freshly read head; `statusSnapshot()` is the same without the round trip to the store. */
  async status(): Promise<ProjectorStatus> {
    try {
      this.head = await this.options.store.headPosition();
    } catch {
      // The store's own health check reports it; keep the last head seen.
    }
    return this.statusSnapshot();
  }

  /** Synchronous, for metric gauges: `head` is the last one seen (by the watchdog or status()). */
  statusSnapshot(): ProjectorStatus {
    const position = this.position;
    return {
      running: this.running,
      position,
      head: this.head,
      lag: Math.max(0, this.head - position),
      stalled: this.stalled,
      restarts: this.restarts,
      ...(this.failing ? { failing: { ...this.failing } } : {}),
      projections: this.applier?.snapshot() ?? [],
    };
  }

  /** Drops every read model and replays the log; a running projector pauses its subscription meanwhile. */
  rebuild(onProgress?: (progress: RebuildProgress) => void): Promise<RebuildResult> {
    if (!this.running) {
      const { store, projections } = this.options;
      return rebuildReadModels({ store, db: this.db ?? this.options.db, projections, onProgress });
    }
    this.rebuilding ??= this.rebuildWhileRunning(onProgress).finally(() => (this.rebuilding = undefined));
    return this.rebuilding;
  }

  private async rebuildWhileRunning(
    onProgress?: (progress: RebuildProgress) => void,
  ): Promise<RebuildResult> {
    const gen = ++this.generation;
    this.rebuildAbort = new AbortController();
    await this.closeSubscription();
    // The rebuild's reset runs every migrate again, which puts the deferred indexes back.
    this.endCatchUp();
    try {
      const onPage = (progress: RebuildProgress): void => {
        this.waiters.settle();
        onProgress?.(progress);
      };
      return await replayFromZero(this.applier!, this.options.store, onPage, this.rebuildAbort.signal);
    } finally {
      this.rebuildAbort = undefined;
      if (this.running && gen === this.generation) this.subscribe();
    }
  }

  private subscribe(): void {
    const gen = ++this.generation;
    const applier = this.applier!;
    this.stall.reset();
    try {
      this.subscription = this.options.store.subscribeToAll({
        after: applier.position,
        batchSize: this.options.batchSize ?? DEFAULTS.batchSize,
        onEvents: (events) => this.deliver(gen, applier, events),
        onError: (error) => this.onSubscriptionError(gen, error),
      });
    } catch (error) {
      this.onSubscriptionError(gen, error);
    }
  }

  /**
   * A failed batch is rolled back and retried with backoff, holding the subscription (its next batch waits
   * for this promise), so the checkpoint never passes an event that failed.
   */
  private async deliver(gen: number, applier: BatchApplier, events: RecordedEvent[]): Promise<void> {
    // The subscription reads nothing while a delivery is pending, so what is appended during the pause
    // arrives as the next delivery: one read and one transaction per window (stop wakes it). A full batch
    // is a catch-up, with more already waiting: no pause.
    const { gatherMs, batchSize = DEFAULTS.batchSize } = this.options;
    if (gatherMs && events.length < batchSize) await this.sleeps.sleep(gatherMs);
    for (let attempt = 1; ; attempt++) {
      if (gen !== this.generation) return;
      try {
        applier.applyBatch(events);
        break;
      } catch (error) {
        if (error instanceof CheckpointsMovedError) {
          this.log({ level: 'warn', message: 'checkpoints moved by another writer; resubscribing', error });
          // The stored checkpoints may already cover what callers wait for.
          this.waiters.settle();
          void this.resubscribe(0);
          return;
        }
        const at = error instanceof ProjectionApplyError ? error : undefined;
        this.failing = {
          projection: at?.projection ?? '',
          position: at?.position ?? events[0]!.position,
          attempts: attempt,
        };
        const { projection, position } = this.failing;
        this.log({
          level: 'error',
          message: 'projection batch rolled back',
          projection,
          position,
          attempt,
          error,
        });
        await this.sleeps.sleep(this.backoff(attempt));
      }
    }
    if (this.failing) {
      this.log({ level: 'info', message: 'projection recovered', projection: this.failing.projection });
      this.failing = undefined;
    }
    this.subscriptionErrors = 0;
    this.stalled = false;
    const last = events[events.length - 1];
    if (last && last.position > this.head) this.head = last.position;
    if (this.catchUp && applier.position >= this.catchUp.head) await this.finishCatchUp(this.catchUp);
    this.waiters.settle();
  }

  private onSubscriptionError(gen: number, error: unknown): void {
    if (gen !== this.generation || !this.running) return;
    this.subscriptionErrors++;
    this.log({
      level: 'warn',
      message: 'subscription failed; resubscribing',
      position: this.position,
      error,
    });
    void this.resubscribe(this.backoff(this.subscriptionErrors));
  }

  private async watch(): Promise<void> {
    if (this.ticking || !this.running) return;
    this.ticking = true;
    try {
      const head = await this.options.store.headPosition();
      this.head = head;
      // A failing batch or a rebuild holds the checkpoint on purpose: that is not a stall.
      if (!this.running || this.resubscribing || this.rebuilding || this.failing) return this.stall.reset();
      const position = this.position;
      if (head <= position) this.stalled = false;
      if (!this.stall.observe(head, position, Date.now())) return;
      this.stalled = true;
      this.log({
        level: 'warn',
        message: 'subscription stalled; resubscribing from checkpoint',
        position,
        head,
      });
      await this.resubscribe(0);
    } catch (error) {
      this.log({ level: 'warn', message: 'watchdog could not read the head position', error });
    } finally {
      this.ticking = false;
    }
  }

  private async resubscribe(delayMs: number): Promise<void> {
    if (!this.running || this.resubscribing) return;
    this.resubscribing = true;
    try {
      const gen = ++this.generation;
      await this.closeSubscription();
      if (delayMs > 0) await this.sleeps.sleep(delayMs);
      if (!this.running || gen !== this.generation || this.rebuilding) return;
      this.restarts++;
      this.subscribe();
    } finally {
      this.resubscribing = false;
    }
  }

  /** A stalled subscription may never finish closing; give up waiting after a while, it is abandoned anyway. */
  private async closeSubscription(): Promise<void> {
    const sub = this.subscription;
    this.subscription = undefined;
    if (!sub) return;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<void>((resolve) => (timer = setTimeout(resolve, DEFAULTS.closeMs)));
    try {
      await Promise.race([sub.close(), timeout]);
    } catch (error) {
      this.log({ level: 'warn', message: 'closing the subscription failed', error });
    } finally {
      clearTimeout(timer);
    }
  }

  private backoff(attempt: number): number {
    const { initialMs = DEFAULTS.initialMs, maxMs = DEFAULTS.maxMs } = this.options.retry ?? {};
    return backoffMs(attempt, initialMs, maxMs);
  }

  private log(entry: ProjectorLogEntry): void {
    try {
      this.options.log?.(entry);
    } catch {
      // A broken logger must not stop the projector.
    }
  }
}

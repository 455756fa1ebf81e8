import type { RecordedEvent } from '@accord/event-store';
import { CheckpointStamp, CheckpointTable } from './checkpoint.table';
import { CheckpointsMovedError, ProjectionApplyError, ProjectionConfigError } from './errors';
import { ALL_EVENTS, Projection, ProjectionCheckpoint, ReadDb } from './projection';

interface Entry {
  readonly projection: Projection;
  /** Committed checkpoint; only moved after the transaction that wrote it has committed. */
  position: number;
}

export interface PrepareOutcome {
  /** Projections reset because their code version differs from the stored one, or the log is behind them. */
  rebuilt: string[];
}

/**
 * Applies batches of events to every projection in one SQLite transaction per batch, with the checkpoints.
 * Shared by the live projector and the offline rebuild so both write read models the same way.
 */
export class BatchApplier {
  private readonly entries: Entry[];
  private readonly byName: Map<string, Entry>;
  /** Handlers per event type, wildcard projections merged in registration order. */
  private readonly byType = new Map<string, Entry[]>();
  private readonly wildcard: Entry[];
  /** Projections that gather rows in memory during a batch (startBatch/endBatch). */
  private readonly batched: Entry[];
  private readonly checkpoints: CheckpointTable;
  private readonly names: string[];
  /** The checkpoints' stamp when the stored rows last equalled `entries`' positions. */
  private matched: CheckpointStamp | undefined;
  private readonly applyTx: (events: readonly RecordedEvent[], last: number) => void;
  /** With no projections there are no checkpoint rows; the last batch seen stands in for them. */
  private seen = 0;

  /** Some projection applies every event of the log, so a replay reads the data and meta of all of them. */
  get readsEveryEvent(): boolean {
    return this.wildcard.length > 0;
  }

  constructor(
    private readonly db: ReadDb,
    projections: readonly Projection[],
  ) {
    assertValid(projections);
    this.entries = projections.map((projection) => ({ projection, position: 0 }));
    this.byName = new Map(this.entries.map((e) => [e.projection.name, e]));
    this.wildcard = this.entries.filter((e) => e.projection.handles.includes(ALL_EVENTS));
    this.batched = this.entries.filter((e) => e.projection.startBatch || e.projection.endBatch);
    for (const entry of this.entries) {
      for (const type of entry.projection.handles) {
        if (type === ALL_EVENTS) continue;
        if (!this.byType.has(type)) this.byType.set(type, []);
      }
    }
    for (const [type, list] of this.byType) {
      for (const entry of this.entries) {
        const hs = entry.projection.handles;
        if (hs.includes(type) || hs.includes(ALL_EVENTS)) list.push(entry);
      }
    }
    this.checkpoints = new CheckpointTable(db);
    this.names = this.entries.map((e) => e.projection.name);
    // IMMEDIATE takes the write lock up front: a deferred transaction that reads first and then writes can
    // fail with SQLITE_BUSY in WAL mode when another connection wrote in between, without waiting.
    const tx = db.transaction((events: readonly RecordedEvent[], last: number) => {
      this.assertCheckpointsUnchanged();
      this.applyAll(events);
      if (this.names.length === 0) return;
      // One statement for every read model's checkpoint, in the transaction that wrote their rows.
      this.checkpoints.advance(this.names, last);
      // Rolled back, the rows stay at the positions `entries` keep then: they still match.
      this.matched = this.checkpoints.stamp();
    });
    this.applyTx = (events, last) => tx.immediate(events, last);
  }

  /** Lowest checkpoint: every event at or below it is in every read model. */
  get position(): number {
    if (this.entries.length === 0) return this.seen;
    let min = Infinity;
    for (const e of this.entries) if (e.position < min) min = e.position;
    return min;
  }

  snapshot(): ProjectionCheckpoint[] {
    return this.entries.map((e) => ({
      name: e.projection.name,
      version: e.projection.version,
      position: e.position,
    }));
  }

  /**
   * Loads checkpoints and creates tables. A projection whose stored version differs from its code, or whose
   * checkpoint is beyond the log's head (read.db kept across a restored or replaced event store), is reset.
   */
  prepare(head: number): PrepareOutcome {
    const stored = this.checkpoints.all();
    const rebuilt: string[] = [];
    for (const entry of this.entries) {
      const p = entry.projection;
      const cp = stored.get(p.name);
      const stale = cp !== undefined && (cp.version !== p.version || cp.position > head);
      this.db
        .transaction(() => {
          if (stale) p.reset(this.db);
          p.migrate(this.db);
          if (cp === undefined || stale) this.checkpoints.save(p.name, p.version, 0);
        })
        .immediate();
      entry.position = cp === undefined || stale ? 0 : cp.position;
      if (stale) rebuilt.push(p.name);
    }
    return { rebuilt };
  }

  /** Drops and recreates every read model and puts every checkpoint back to zero, atomically. */
  resetAll(): void {
    this.db
      .transaction(() => {
        for (const { projection: p } of this.entries) {
          p.reset(this.db);
          p.migrate(this.db);
          this.checkpoints.save(p.name, p.version, 0);
        }
      })
      .immediate();
    for (const e of this.entries) e.position = 0;
    this.seen = 0;
  }

  /**
   * Applies one batch (events in position order). Events at or below a projection's checkpoint are skipped,
   * which turns the store's at-least-once delivery (a resubscription repeats events) into exactly once.
   * Throws ProjectionApplyError after rolling the whole batch back.
   */
  applyBatch(events: readonly RecordedEvent[]): void {
    if (events.length === 0) return;
    const last = events[events.length - 1]!.position;
    if (last <= this.position) return;
    try {
      this.applyTx(events, last);
    } catch (err) {
      if (err instanceof CheckpointsMovedError) this.reload();
      throw err;
    }
    for (const e of this.entries) if (e.position < last) e.position = last;
    if (last > this.seen) this.seen = last;
  }

  /**
   * Optimistic check against other writers of the same read.db: if a stored checkpoint is not the one this
   * applier last committed, applying the batch would skip or repeat events, so the batch is refused.
   */
  private assertCheckpointsUnchanged(): void {
    // Nothing wrote a checkpoint since this applier's last batch: the rows are the ones it committed.
    const stamp = this.checkpoints.stamp();
    const m = this.matched;
    if (m !== undefined && m.foreign === stamp.foreign && m.local === stamp.local) return;
    for (const [name, position] of this.checkpoints.positions()) {
      const entry = this.byName.get(name);
      if (entry !== undefined && entry.position !== position) throw new CheckpointsMovedError();
    }
    this.matched = stamp;
  }

  /** Takes the stored checkpoints as the truth after another connection moved them. */
  private reload(): void {
    const stored = new Map(this.checkpoints.positions());
    for (const e of this.entries) e.position = stored.get(e.projection.name) ?? 0;
  }

  private applyAll(events: readonly RecordedEvent[]): void {
    const db = this.db;
    const byType = this.byType;
    const wildcard = this.wildcard;
    let current: Entry | undefined;
    let event: RecordedEvent | undefined;
    try {
      for (current of this.batched) current.projection.startBatch?.(db);
      for (event of events) {
        const handlers = byType.get(event.type) ?? wildcard;
        for (current of handlers) {
          if (event.position > current.position) current.projection.apply(event, db);
        }
      }
      event = undefined;
      for (current of this.batched) current.projection.endBatch?.(db);
    } catch (err) {
      const name = current?.projection.name ?? '?';
      // A failure in endBatch is reported at the batch's last event.
      const at = event ?? events[events.length - 1];
      throw new ProjectionApplyError(name, at?.position ?? 0, event ? event.type : '(end of batch)', {
        cause: err,
      });
    }
  }
}

function assertValid(projections: readonly Projection[]): void {
  const names = new Set<string>();
  for (const p of projections) {
    if (!p.name) throw new ProjectionConfigError('a projection needs a name');
    if (names.has(p.name)) throw new ProjectionConfigError(`two projections are named ${p.name}`);
    if (!Number.isInteger(p.version))
      throw new ProjectionConfigError(`projection ${p.name}: version must be an integer`);
    if (p.handles.length === 0) throw new ProjectionConfigError(`projection ${p.name} handles no event type`);
    names.add(p.name);
  }
}

import type { RecordedEvent } from '@accord/event-store';
import type BetterSqlite3 from 'better-sqlite3';

/** The read-model database (`read.db`): one better-sqlite3 connection shared by every projection. */
export type ReadDb = BetterSqlite3.Database;

/** A projection that lists this in `handles` sees every event, whatever its type. */
export const ALL_EVENTS = '*';

/**
 * A read model fed from the global log. `apply` is synchronous because it runs inside the projector's
 * transaction, which also writes the checkpoint: an event is in the read model exactly when the checkpoint
 * says so, whatever crashes in between.
 */
export interface Projection {
  /** Stable key of the checkpoint row; renaming it rebuilds the read model. */
  readonly name: string;
  /** Bump it when the tables or the meaning of `apply` change: the read model is then rebuilt from zero. */
  readonly version: number;
  /** Event types this projection applies (or `ALL_EVENTS`). */
  readonly handles: readonly string[];
  /**
   * Indexes `migrate` creates that only queries read (`apply` never does, and none is UNIQUE): an offline
   * rebuild drops them before the replay and builds each once after it (docs/architecture.md §37.2), and so
   * does the Projector for a read model catching up from zero (§37.16).
   */
  readonly queryIndexes?: readonly string[];
  /** Creates tables and indexes; must be idempotent (it runs at every start). */
  migrate(db: ReadDb): void;
  /** Drops everything `migrate` created. */
  reset(db: ReadDb): void;
  apply(event: RecordedEvent, db: ReadDb): void;
  /**
   * Called in the batch's transaction before its first event: forget whatever an earlier batch, perhaps
   * rolled back, left gathered in memory.
   */
  startBatch?(db: ReadDb): void;
  /**
   * Called in the batch's transaction after its last event, before the checkpoint: write what `apply`
   * gathered in memory, so that a replay writes a row per batch where it would write one per event.
   */
  endBatch?(db: ReadDb): void;
}

export interface ProjectionCheckpoint {
  name: string;
  version: number;
  /** Global position of the last event this projection has taken into account (0: none). */
  position: number;
}

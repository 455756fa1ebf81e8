import type { Statement } from 'better-sqlite3';
import type { ProjectionCheckpoint, ReadDb } from './projection';

export const CHECKPOINTS_TABLE = 'projection_checkpoints';
const TABLE = CHECKPOINTS_TABLE;

/** Checkpoint writes made through each connection, by any CheckpointTable on it (see `stamp`). */
const localWrites = new WeakMap<ReadDb, number>();

/**
 * What `stamp` returns: equal stamps mean no connection, this one included, wrote a checkpoint in between,
 * apart from writes whose result the caller already knows.
 */
export interface CheckpointStamp {
  readonly foreign: number;
  readonly local: number;
}

/** One row per projection in `read.db` itself, so it commits with the read-model rows it describes. */
export class CheckpointTable {
  private readonly selectAll: Statement<[], ProjectionCheckpoint>;
  private readonly upsert: Statement<[string, number, number]>;
  private readonly selectPositions: Statement<[], [string, number]>;
  private readonly dataVersion: Statement<[], number>;
  /** `advance` statements by the number of names they move. */
  private readonly advances = new Map<number, Statement<unknown[]>>();

  constructor(private readonly db: ReadDb) {
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${TABLE} (
         name TEXT PRIMARY KEY, version INTEGER NOT NULL, position INTEGER NOT NULL) STRICT`,
    );
    this.selectAll = db.prepare(`SELECT name, version, position FROM ${TABLE} ORDER BY name`);
    this.selectPositions = db.prepare<[], [string, number]>(`SELECT name, position FROM ${TABLE}`).raw();
    this.upsert = db.prepare(
      `INSERT INTO ${TABLE} (name, version, position) VALUES (?, ?, ?)
       ON CONFLICT (name) DO UPDATE SET version = excluded.version, position = excluded.position`,
    );
    this.dataVersion = db.prepare<[], number>('PRAGMA data_version').pluck();
  }

  /**
   * SQLite's count of commits to the file by other connections (`PRAGMA data_version`, which a connection's
   * own commits leave alone) with this connection's checkpoint writes: while both stay the same, the stored
   * checkpoints are the ones last read or written here.
   */
  stamp(): CheckpointStamp {
    return { foreign: this.dataVersion.get()!, local: localWrites.get(this.db) ?? 0 };
  }

  all(): Map<string, ProjectionCheckpoint> {
    return new Map(this.selectAll.all().map((c) => [c.name, c]));
  }

  /** [name, position] rows: the cheap read done at the start of every batch. */
  positions(): [string, number][] {
    return this.selectPositions.all();
  }

  save(name: string, version: number, position: number): void {
    this.wrote();
    this.upsert.run(name, version, position);
  }

  /**
   * Moves the rows of `names` that are below `position` up to it, in one statement: a batch writes every
   * read model's checkpoint at once (each row and its version exist since `save` at start-up).
   */
  advance(names: readonly string[], position: number): void {
    let statement = this.advances.get(names.length);
    if (!statement) {
      const list = names.map(() => '?').join(', ');
      statement = this.db.prepare(
        `UPDATE ${TABLE} SET position = ? WHERE position < ? AND name IN (${list})`,
      );
      this.advances.set(names.length, statement);
    }
    this.wrote();
    statement.run(position, position, ...names);
  }

  private wrote(): void {
    localWrites.set(this.db, (localWrites.get(this.db) ?? 0) + 1);
  }
}

/** The stored checkpoints, for status pages and the CLI (empty when the projector never ran). */
export function readCheckpoints(db: ReadDb): ProjectionCheckpoint[] {
  const exists = db.prepare(`SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?`).get(TABLE);
  if (!exists) return [];
  return db
    .prepare(`SELECT name, version, position FROM ${TABLE} ORDER BY name`)
    .all() as ProjectionCheckpoint[];
}

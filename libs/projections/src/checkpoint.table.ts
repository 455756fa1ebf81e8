import type { Statement } from 'better-sqlite3';
import type { ProjectionCheckpoint, ReadDb } from './projection';

export const CHECKPOINTS_TABLE = 'projection_checkpoints';
const TABLE = CHECKPOINTS_TABLE;

/** One row per projection in `read.db` itself, so it commits with the read-model rows it describes. */
export class CheckpointTable {
  private readonly selectAll: Statement<[], ProjectionCheckpoint>;
  private readonly upsert: Statement<[string, number, number]>;
  private readonly selectPositions: Statement<[], [string, number]>;

  constructor(db: ReadDb) {
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
  }

  all(): Map<string, ProjectionCheckpoint> {
    return new Map(this.selectAll.all().map((c) => [c.name, c]));
  }

  /** [name, position] rows: the cheap read done at the start of every batch. */
  positions(): [string, number][] {
    return this.selectPositions.all();
  }

  save(name: string, version: number, position: number): void {
    this.upsert.run(name, version, position);
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

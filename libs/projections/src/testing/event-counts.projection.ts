import type { RecordedEvent } from '@accord/event-store';
import type { Projection, ReadDb } from '../projection';

/**
 * Test-only projection (not exported from the lib): logs every applied position and counts events per
 * stream and type, so a test can prove each event was applied exactly once. `failWhen` injects a throw.
 */
export class EventCountsProjection implements Projection {
  readonly name: string;
  readonly version: number;
  readonly handles: readonly string[];
  /** With `queryIndex`, one index on (type, position) that only queries would read. */
  readonly queryIndexes: readonly string[] | undefined;
  failWhen: ((event: RecordedEvent) => boolean) | undefined;
  /** apply() calls, including those whose transaction was rolled back. */
  calls = 0;

  constructor(
    options: { name?: string; version?: number; handles?: readonly string[]; queryIndex?: boolean } = {},
  ) {
    this.name = options.name ?? 'test-event-counts';
    this.version = options.version ?? 1;
    this.handles = options.handles ?? ['*'];
    this.queryIndexes = options.queryIndex ? [`${this.name}_by_type`] : undefined;
  }

  private get table(): string {
    return `"${this.name}_log"`;
  }

  migrate(db: ReadDb): void {
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${this.table} (position INTEGER NOT NULL, stream_id TEXT NOT NULL, type TEXT NOT NULL)`,
    );
    for (const index of this.queryIndexes ?? [])
      db.exec(`CREATE INDEX IF NOT EXISTS "${index}" ON ${this.table} (type, position)`);
  }

  /** Names of this projection's indexes that exist in `db`. */
  indexes(db: ReadDb): string[] {
    return db
      .prepare(`SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = ? ORDER BY name`)
      .pluck()
      .all(`${this.name}_log`) as string[];
  }

  reset(db: ReadDb): void {
    db.exec(`DROP TABLE IF EXISTS ${this.table}`);
  }

  apply(event: RecordedEvent, db: ReadDb): void {
    this.calls++;
    if (this.failWhen?.(event)) throw new Error(`injected failure at ${event.position}`);
    db.prepare(`INSERT INTO ${this.table} (position, stream_id, type) VALUES (?, ?, ?)`).run(
      event.position,
      event.streamId,
      event.type,
    );
  }

  /** Applied positions in order (duplicates kept, so a double apply shows). */
  positions(db: ReadDb): number[] {
    return (
      db.prepare(`SELECT position FROM ${this.table} ORDER BY rowid`).pluck().all() as number[]
    ).slice();
  }

  countsByType(db: ReadDb): Record<string, number> {
    const rows = db
      .prepare(`SELECT type, count(*) AS n FROM ${this.table} GROUP BY type ORDER BY type`)
      .all() as {
      type: string;
      n: number;
    }[];
    return Object.fromEntries(rows.map((r) => [r.type, r.n]));
  }
}

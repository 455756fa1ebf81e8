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
  failWhen: ((event: RecordedEvent) => boolean) | undefined;
  /** apply() calls, including those whose transaction was rolled back. */
  calls = 0;

  constructor(options: { name?: string; version?: number; handles?: readonly string[] } = {}) {
    this.name = options.name ?? 'test-event-counts';
    this.version = options.version ?? 1;
    this.handles = options.handles ?? ['*'];
  }

  private get table(): string {
    return `"${this.name}_log"`;
  }

  migrate(db: ReadDb): void {
    db.exec(
      `CREATE TABLE IF NOT EXISTS ${this.table} (position INTEGER NOT NULL, stream_id TEXT NOT NULL, type TEXT NOT NULL)`,
    );
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

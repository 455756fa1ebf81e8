import { GENESIS_HASH, NewEvent, chainEvents } from '@accord/event-store';
import Database from 'better-sqlite3';

/**
 * The raw baselines: plain better-sqlite3 on a table equal to the adapter's `events` table (same columns,
 * same unique indexes), with the adapter's pragmas. The rows are the ones the adapter writes: chained with
 * the library's own chainEvents and serialised as the adapter serialises them. Each append phase compares
 * the two tables' DDL, so the baseline cannot drift from the adapter unnoticed.
 */

export const EVENTS_TABLE = `CREATE TABLE IF NOT EXISTS events (
  position  INTEGER PRIMARY KEY,
  event_id  TEXT    NOT NULL UNIQUE,
  stream_id TEXT    NOT NULL,
  revision  INTEGER NOT NULL,
  type      TEXT    NOT NULL,
  data      TEXT    NOT NULL,
  meta      TEXT    NOT NULL,
  UNIQUE (stream_id, revision)
)`;

export type RawRow = [
  eventId: string,
  streamId: string,
  revision: number,
  type: string,
  data: string,
  meta: string,
];

export function openRawDb(file: string, opts: { readonly?: boolean } = {}): Database.Database {
  const db = new Database(file, { readonly: opts.readonly ?? false });
  if (opts.readonly) return db;
  // The adapter's pragmas (sqlite.schema.ts openEventsDb), so the baselines get the same checkpointing.
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = FULL');
  db.pragma('wal_autocheckpoint = 10000');
  db.exec(EVENTS_TABLE);
  return db;
}

/** The `events` table's DDL as SQLite stores it, whitespace-normalised for comparison. */
export function eventsTableDdl(file: string): string {
  const db = new Database(file, { readonly: true });
  try {
    const sql = db
      .prepare("SELECT sql FROM sqlite_master WHERE type = 'table' AND name = 'events'")
      .pluck()
      .get();
    return String(sql ?? '')
      .replace(/\s+/g, ' ')
      .replace('IF NOT EXISTS ', '');
  } finally {
    db.close();
  }
}

/** Chains and serialises appends ahead of time (outside the timing), then inserts them. */
export class RawStreamWriter {
  private readonly heads = new Map<string, { revision: number; hash: string }>();
  private readonly insert: Database.Statement<RawRow>;
  private readonly tx: Database.Transaction<(rows: readonly RawRow[]) => void>;

  constructor(db: Database.Database) {
    this.insert = db.prepare<RawRow>(
      'INSERT INTO events (event_id, stream_id, revision, type, data, meta) VALUES (?, ?, ?, ?, ?, ?)',
    );
    this.tx = db.transaction((rows: readonly RawRow[]) => {
      for (const r of rows) this.insert.run(...r);
    });
  }

  prepare(streamId: string, events: readonly NewEvent[]): RawRow[] {
    const head = this.heads.get(streamId);
    const sealed = chainEvents(
      streamId,
      head ? head.revision + 1 : 0,
      head ? head.hash : GENESIS_HASH,
      events,
    );
    const last = sealed[sealed.length - 1]!;
    this.heads.set(streamId, { revision: last.revision, hash: last.meta.hash });
    return sealed.map((e) => [
      e.eventId,
      e.streamId,
      e.revision,
      e.type,
      JSON.stringify(e.data),
      JSON.stringify(e.meta),
    ]);
  }

  insertInOneTransaction(rows: readonly RawRow[]): void {
    // BEGIN IMMEDIATE, as the adapter's batches begin.
    this.tx.immediate(rows);
  }
}

/**
 * Reads every row in position order, the columns the adapter reads, with one statement iterated to the end.
 * `parse` adds JSON.parse of data and meta: the least any reader of envelopes must do.
 */
export function rawReadAll(db: Database.Database, parse: boolean, onType: (type: string) => void): number {
  const stmt = db
    .prepare('SELECT position, event_id, stream_id, revision, type, data, meta FROM events ORDER BY position')
    .raw();
  let n = 0;
  let decoded = 0;
  for (const row of stmt.iterate() as IterableIterator<
    [number, string, string, number, string, string, string]
  >) {
    // Keep the parsed values alive in a result so the work cannot be optimised away.
    if (parse && JSON.parse(row[5]) !== null && JSON.parse(row[6]) !== null) decoded++;
    onType(row[4]);
    n++;
  }
  if (parse && decoded !== n) throw new Error('a row did not decode');
  return n;
}

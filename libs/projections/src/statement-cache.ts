import type { Statement } from 'better-sqlite3';
import type { ReadDb } from './projection';

/**
 * Prepared statements by connection and SQL text. A projection applies hundreds of thousands of events in a
 * replay, and preparing per event would dominate it; the read side asks the same few queries all day.
 */
const prepared = new WeakMap<ReadDb, Map<string, Statement>>();

export function sql(db: ReadDb, query: string): Statement {
  let cache = prepared.get(db);
  if (!cache) prepared.set(db, (cache = new Map()));
  let statement = cache.get(query);
  if (!statement) cache.set(query, (statement = db.prepare(query)));
  return statement;
}

/** After a projection drops its tables (reset), its statements must be prepared again. */
export function forgetStatements(db: ReadDb): void {
  prepared.delete(db);
}

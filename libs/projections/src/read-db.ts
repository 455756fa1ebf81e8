import Database from 'better-sqlite3';
import type { ReadDb } from './projection';

/**
 * Opens `read.db`. WAL lets the API read while the projector writes. `synchronous=NORMAL` is enough here,
 * unlike the event store: a power loss can drop the last read-model transactions, but each one carries its
 * own checkpoint, so they are lost together and re-applied from the event log.
 */
export function openReadDb(file: string): ReadDb {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // The CLI's `admin rebuild` may hold the write lock while the API's projector waits for it.
  db.pragma('busy_timeout = 5000');
  return db;
}

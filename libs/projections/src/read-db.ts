import Database from 'better-sqlite3';
import type { ReadDb } from './projection';

/**
 * Opens `read.db`. WAL lets the API read while the projector writes. `synchronous=NORMAL` is enough here,
 * unlike the event store: a power loss can drop the last read-model transactions, but each one carries its
 * own checkpoint, so they are lost together and re-applied from the event log.
 */
export function openReadDb(file: string): ReadDb {
  const db = new Database(file);
  // 8 KiB pages, as the offline rebuild's fresh file has: with the catch-up's page cache, a catch-up from
  // zero costs less CPU (docs/architecture.md §37.16). SQLite takes it only for a new file; an existing
  // read.db keeps its own.
  db.pragma('page_size = 8192');
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  // Checkpoint every 10,000 WAL pages (40 MiB, 80 with 8 KiB pages) rather than 1,000, as the event store
  // does: a share's batch writes ~40 pages into some thirty B-trees, many of them the same right-hand pages
  // batch after batch, and each checkpoint copies the pages to the file and fsyncs it on the projector's
  // event loop. Fewer, larger checkpoints copy each hot page once for many batches (§37.11).
  db.pragma('wal_autocheckpoint = 10000');
  // The CLI's `admin rebuild` may hold the write lock while the API's projector waits for it.
  db.pragma('busy_timeout = 5000');
  return db;
}

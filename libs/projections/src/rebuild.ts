import { existsSync, renameSync, rmSync, statSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { type EventStore, type RecordedEvent, syncPath } from '@accord/event-store';
import { BatchApplier } from './batch-applier';
import { CHECKPOINTS_TABLE as CHECKPOINTS } from './checkpoint.table';
import { ReadModelsSwapError } from './errors';
import type { Projection, ReadDb } from './projection';
import { dropQueryIndexes } from './query-indexes';

/**
 * Events per transaction in a rebuild into a live read.db. One commit per store page (1,000) spent a third
 * of a replay rewriting the same index pages; 10,000 was 30% faster on bench (e) and 50,000 no better.
 */
const REBUILD_BATCH = 10_000;

/**
 * A rebuild into a fresh file has no journal, so a commit only hands dirty pages to the OS; the batch bounds
 * the events held in memory and how often the page cache is flushed (docs/architecture.md §37.2).
 */
const FRESH_FILE_BATCH = 50_000;

/**
 * Page cache of the fresh file, and of read.db while the Projector catches up from zero (KiB, as SQLite's
 * negative cache_size): the hot index pages stay in memory.
 */
export const REPLAY_CACHE_KIB = 256 * 1024;

export interface RebuildProgress {
  /** Events read from the log so far. */
  events: number;
  /** Global position reached. */
  position: number;
  /** The log's head when the rebuild began (positions need not be dense: KurrentDB's are byte offsets). */
  head: number;
}

export interface RebuildResult {
  events: number;
  position: number;
}

export interface RebuildOptions {
  store: EventStore;
  /**
   * An open read.db (rebuilt in place, in transactions a reader sees whole), or the path of read.db: then a
   * fresh file is built beside it and renamed over it at the end (connections opened before keep the old one).
   */
  db: ReadDb | string;
  projections: readonly Projection[];
  onProgress?: (progress: RebuildProgress) => void;
}

/**
 * Drops every read model and replays the whole log into it: `accord admin rebuild` and tests.
 *
 * Given a path, the rebuild is offline (the caller holds the read models' lock): it builds `<file>.rebuild`
 * with no journal, `synchronous=OFF`, a large page cache and the query-only indexes built after the load,
 * makes it durable, and renames it over read.db. A crash before the rename leaves the old read models
 * whole (the leftover file is discarded by the next rebuild); after it, the new ones.
 *
 * Given a connection, the rebuild is in place: each batch commits with its checkpoints, so an interrupted
 * rebuild is resumed by the next projector start rather than left half-built.
 */
export async function rebuildReadModels(options: RebuildOptions): Promise<RebuildResult> {
  if (typeof options.db === 'string') return rebuildIntoFreshFile(options.db, options);
  const applier = new BatchApplier(options.db, options.projections);
  return replayFromZero(applier, options.store, options.onProgress);
}

/** Resets every read model behind `applier` and replays the log into it, a batch per transaction. */
export async function replayFromZero(
  applier: BatchApplier,
  store: EventStore,
  onProgress?: (progress: RebuildProgress) => void,
  signal?: AbortSignal,
): Promise<RebuildResult> {
  const head = await store.headPosition();
  applier.resetAll();
  return replayAll(applier, store, head, REBUILD_BATCH, onProgress, signal);
}

async function replayAll(
  applier: BatchApplier,
  store: EventStore,
  head: number,
  batch: number,
  onProgress?: (progress: RebuildProgress) => void,
  signal?: AbortSignal,
): Promise<RebuildResult> {
  let events = 0;
  let position = 0;
  onProgress?.({ events, position, head });
  let pending: RecordedEvent[] = [];
  const flush = () => {
    if (pending.length === 0) return;
    applier.applyBatch(pending);
    events += pending.length;
    position = pending[pending.length - 1]!.position;
    pending = [];
    onProgress?.({ events, position, head });
  };
  // The batch gathers many pages before any is applied, so the store cannot tell from the last page whether
  // its events get read; when some projection (the audit trail) applies every event, they all do
  // (docs/architecture.md §37.2.2).
  const decode = applier.readsEveryEvent ? 'eager' : 'adaptive';
  for await (const page of store.readAll({ after: 0, decode })) {
    // Stopping mid-rebuild is safe: what is committed carries its checkpoints and the next start resumes.
    if (signal?.aborted) break;
    for (const e of page) pending.push(e);
    if (pending.length >= batch) flush();
  }
  if (!signal?.aborted) flush();
  return { events, position };
}

async function rebuildIntoFreshFile(file: string, options: RebuildOptions): Promise<RebuildResult> {
  const fresh = `${file}.rebuild`;
  removeDatabase(fresh); // a crashed rebuild's leftover
  let result: RebuildResult;
  const db = openFreshDb(fresh);
  try {
    const applier = new BatchApplier(db, options.projections);
    const head = await options.store.headPosition();
    applier.resetAll();
    const deferred = dropQueryIndexes(db, options.projections);
    result = await replayAll(applier, options.store, head, FRESH_FILE_BATCH, options.onProgress);
    for (const create of deferred) db.exec(create);
    if (existsSync(file)) {
      retire(file);
      carryOver(db, file, options.projections);
    }
    // read.db is opened in WAL mode by every reader; the mode is kept in the file's header.
    db.pragma('journal_mode = WAL');
    db.close();
  } catch (error) {
    db.close();
    removeDatabase(fresh);
    throw error;
  }
  syncPath(fresh);
  if (existsSync(file)) retire(file);
  renameSync(fresh, file);
  syncPath(dirname(file));
  return result;
}

/**
 * No journal and no fsync: nothing in this file matters until it is complete and renamed, so a crash or a
 * failed batch (whose rollback, without a journal, may leave it inconsistent) just discards it.
 */
export function openFreshDb(file: string): ReadDb {
  const db = new Database(file);
  db.pragma('page_size = 8192');
  db.pragma('journal_mode = OFF');
  db.pragma('synchronous = OFF');
  db.pragma(`cache_size = -${REPLAY_CACHE_KIB}`);
  db.pragma('temp_store = MEMORY');
  return db;
}

/**
 * Copies from the old read.db what this rebuild does not own: the tables and checkpoints of projections not
 * in `projections` (the api's incident detector keeps its windows and outbox in read.db, and `accord admin
 * rebuild` leaves them alone, §13). A table is the rebuild's if the fresh file has it, or if one of the
 * rebuilt projections' reset() drops it (an earlier version's table): that is asked of an in-memory
 * database holding an empty table of each old name.
 */
function carryOver(db: ReadDb, file: string, projections: readonly Projection[]): void {
  const tablesOf = (schema: string) =>
    db
      .prepare(`SELECT name FROM ${schema}.sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'`)
      .pluck()
      .all() as string[];
  db.prepare(`ATTACH DATABASE ? AS old`).run(file);
  try {
    const fresh = new Set(tablesOf('main'));
    const candidates = tablesOf('old').filter((t) => !fresh.has(t) && t !== CHECKPOINTS);
    const probe = new Database(':memory:');
    try {
      for (const t of candidates) probe.exec(`CREATE TABLE "${t}" (x)`);
      for (const p of projections) p.reset(probe);
      const kept = new Set(
        probe.prepare(`SELECT name FROM sqlite_master WHERE type = 'table'`).pluck().all() as string[],
      );
      for (const t of candidates.filter((c) => kept.has(c))) {
        const objects = db
          .prepare(
            `SELECT sql FROM old.sqlite_master WHERE tbl_name = ? AND sql IS NOT NULL ORDER BY type = 'index'`,
          )
          .pluck()
          .all(t) as string[];
        for (const create of objects.filter((o) => /^CREATE TABLE/i.test(o))) db.exec(create);
        db.exec(`INSERT INTO main."${t}" SELECT * FROM old."${t}"`);
        for (const create of objects.filter((o) => !/^CREATE TABLE/i.test(o))) db.exec(create);
      }
    } finally {
      probe.close();
    }
    if (!tablesOf('old').includes(CHECKPOINTS)) return;
    const rebuilt = JSON.stringify(projections.map((p) => p.name));
    db.prepare(
      `INSERT INTO main.projection_checkpoints SELECT * FROM old.projection_checkpoints
       WHERE name NOT IN (SELECT value FROM json_each(?)) ON CONFLICT DO NOTHING`,
    ).run(rebuilt);
  } finally {
    db.exec('DETACH DATABASE old');
  }
}

/**
 * Folds the old read.db's WAL into it, so that no WAL of the old file is left for SQLite to replay onto the
 * new one after the rename (a WAL is not tied to its database file).
 */
function retire(file: string): void {
  if (!existsSync(file)) return;
  const old = new Database(file);
  try {
    old.pragma('wal_checkpoint(TRUNCATE)');
  } finally {
    old.close();
  }
  const wal = `${file}-wal`;
  if (existsSync(wal) && statSync(wal).size > 0) throw new ReadModelsSwapError(file);
}

function removeDatabase(file: string): void {
  for (const f of [file, `${file}-journal`, `${file}-wal`, `${file}-shm`]) rmSync(f, { force: true });
}

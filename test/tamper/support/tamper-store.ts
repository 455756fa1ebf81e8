import Database from 'better-sqlite3';
import { cpSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { Client } from 'pg';
import {
  GENESIS_HASH,
  NewEvent,
  NoteSigner,
  PostgresEventStore,
  SqliteEventStore,
  VerifiableLog,
} from '@accord/event-store';
import { sealRows } from '../../../libs/event-store/src/adapters/sqlite/sqlite.seal';
import { PG_TYPES } from '../../../libs/event-store/src/adapters/postgres/postgres.schema';
import {
  postgresUnavailable,
  PostgresTestServer,
  startPostgresTestServer,
} from '../../../libs/event-store/src/adapters/postgres/postgres.test-server';
import { objectFilePath } from '../../audit/support/audit-scenario';

/**
 * What an attacker with write access to the store can do, done with the product's own code where it helps
 * them (sealRows re-seals a stream's chain, the store rebuilds its Merkle tree, the key file re-signs): on the
 * SQLite file in DATA_DIR, or by SQL on the PostgreSQL database. Each case works on its own copy of one
 * store built through the api: a copied directory, and for PostgreSQL a database created from the scenario's
 * as its template.
 */

export interface Row {
  position: number;
  event_id: string;
  stream_id: string;
  revision: number;
  type: string;
  data: string;
  meta: string;
}

/** The same statements on either engine: written with `?` placeholders, numbered for PostgreSQL. */
export interface Sql {
  readonly engine: 'sqlite' | 'postgres';
  run(text: string, ...params: unknown[]): Promise<void>;
  all<T>(text: string, ...params: unknown[]): Promise<T[]>;
  transaction(fn: () => Promise<void>): Promise<void>;
  close(): Promise<void>;
}

/** One case's copy of the store: its DATA_DIR, and the configuration that points an api at it. */
export interface TamperTarget {
  dataDir: string;
  env: Record<string, string>;
  sql(): Promise<Sql>;
  /** The store as the product opens it (opening takes in events stored without a leaf). */
  openStore(): Promise<VerifiableLog & { close(): Promise<void> }>;
}

export interface TamperEngine {
  name: 'sqlite' | 'postgres';
  /** Why the engine cannot run here, if it cannot. */
  skip?: string;
  /** Configuration for the api the scenario runs on. */
  start(): Promise<Record<string, string>>;
  /** After the scenario's api has closed: keeps its store (DATA_DIR copied to `baseDir`) as the base. */
  keepBase(dataDir: string, baseDir: string): Promise<void>;
  /** A fresh copy of the base for one case, its DATA_DIR at `dataDir`. */
  copy(name: string, baseDir: string, dataDir: string): Promise<TamperTarget>;
  stop(): Promise<void>;
}

function sqliteSql(file: string): Sql {
  const db = new Database(file);
  return {
    engine: 'sqlite',
    run: async (text, ...params) => void db.prepare(text).run(...params),
    all: async <T>(text: string, ...params: unknown[]) => db.prepare(text).all(...params) as T[],
    async transaction(fn) {
      db.exec('BEGIN');
      try {
        await fn();
        db.exec('COMMIT');
      } catch (error) {
        db.exec('ROLLBACK');
        throw error;
      }
    },
    close: async () => void db.close(),
  };
}

async function postgresSql(url: string): Promise<Sql> {
  const c = new Client({ connectionString: url, types: PG_TYPES });
  await c.connect();
  const numbered = (text: string): string => {
    let n = 0;
    return text.replace(/\?/g, () => `$${++n}`);
  };
  return {
    engine: 'postgres',
    run: async (text, ...params) => void (await c.query(numbered(text), params)),
    all: async <T>(text: string, ...params: unknown[]) => (await c.query(numbered(text), params)).rows as T[],
    async transaction(fn) {
      await c.query('BEGIN');
      try {
        await fn();
        await c.query('COMMIT');
      } catch (error) {
        await c.query('ROLLBACK');
        throw error;
      }
    },
    close: () => c.end(),
  };
}

export const sqliteEngine = (): TamperEngine => ({
  name: 'sqlite',
  start: async () => ({}),
  keepBase: async (dataDir, baseDir) => cpSync(dataDir, baseDir, { recursive: true }),
  async copy(_name, baseDir, dataDir) {
    cpSync(baseDir, dataDir, { recursive: true });
    const file = join(dataDir, 'events.db');
    return {
      dataDir,
      env: {},
      sql: async () => sqliteSql(file),
      openStore: async () => new SqliteEventStore({ file }),
    };
  },
  stop: async () => undefined,
});

/**
 * A real PostgreSQL server started here (the machine's packages, as the adapter's own tests do); the
 * scenario's database is the template each case's database is created from (CREATE DATABASE ... TEMPLATE,
 * a file-level copy), so every case tampers with its own copy of the same log, tree and checkpoints.
 */
export function postgresEngine(): TamperEngine {
  let server: PostgresTestServer | undefined;
  const base = `tamper_base_${process.pid}`;
  const urlOf = (db: string) => server!.url.replace(/\/postgres$/, `/${db}`);
  return {
    name: 'postgres',
    skip: postgresUnavailable(),
    async start() {
      // Nothing here measures durability: fsync off keeps the scenario and the copies quick.
      server = await startPostgresTestServer({ durable: false });
      await server.createDatabase(base);
      // Every node of a shared store needs the same platform secret (the env schema asks for it).
      return { POSTGRES_URL: urlOf(base), PLATFORM_SECRET: 'tamper-suite-platform-secret-0123456789' };
    },
    keepBase: async (dataDir, baseDir) => cpSync(dataDir, baseDir, { recursive: true }),
    async copy(name, baseDir, dataDir) {
      cpSync(baseDir, dataDir, { recursive: true });
      const db = `tamper_${name.replace(/\W+/g, '_').slice(0, 40)}_${process.pid}`.toLowerCase();
      const admin = await postgresSql(server!.url);
      try {
        await admin.run(`CREATE DATABASE "${db}" TEMPLATE "${base}"`);
      } finally {
        await admin.close();
      }
      const url = urlOf(db);
      return {
        dataDir,
        env: { POSTGRES_URL: url, PLATFORM_SECRET: 'tamper-suite-platform-secret-0123456789' },
        sql: () => postgresSql(url),
        openStore: () => PostgresEventStore.open({ connectionString: url }),
      };
    },
    stop: async () => server?.stop(),
  };
}

export const rows = (sql: Sql): Promise<Row[]> => sql.all<Row>('SELECT * FROM events ORDER BY position');

const hashOf = (r: Row): string => (JSON.parse(r.meta) as { hash: string }).hash;

/**
 * A stream's `streams` row set to its last remaining event, and on PostgreSQL the log head to the last
 * position left, as a careful attacker leaves them.
 */
export async function fixHead(sql: Sql, streamId: string): Promise<void> {
  const [last] = await sql.all<Row>(
    'SELECT * FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1',
    streamId,
  );
  if (!last) await sql.run('DELETE FROM streams WHERE stream_id = ?', streamId);
  else
    await sql.run(
      'UPDATE streams SET revision = ?, last_hash = ? WHERE stream_id = ?',
      last.revision,
      hashOf(last),
      streamId,
    );
}

/** PostgreSQL's `log_head` row (SQLite's head is max(rowid)) moved to the last position left. */
async function fixLogHead(sql: Sql): Promise<void> {
  if (sql.engine === 'postgres') {
    await sql.run('UPDATE log_head SET position = (SELECT coalesce(max(position), 0) FROM events)');
  }
}

export async function deleteEvents(sql: Sql, positions: number[]): Promise<void> {
  const streams = new Set<string>();
  for (const p of positions) {
    const [r] = await sql.all<{ stream_id: string }>('SELECT stream_id FROM events WHERE position = ?', p);
    streams.add(r!.stream_id);
    await sql.run('DELETE FROM events WHERE position = ?', p);
  }
  for (const s of streams) await fixHead(sql, s);
  await fixLogHead(sql);
}

export async function updateColumn(
  sql: Sql,
  column: 'data' | 'meta',
  position: number,
  value: string,
): Promise<void> {
  await sql.run(`UPDATE events SET ${column} = ? WHERE position = ?`, value, position);
}

/** Two stored events trade positions (each keeps its content, stream and revision). */
export async function swapPositions(sql: Sql, a: number, b: number): Promise<void> {
  const get = async (p: number) => (await sql.all<Row>('SELECT * FROM events WHERE position = ?', p))[0]!;
  const [ra, rb] = [await get(a), await get(b)];
  const insert = (p: number, r: Row) =>
    sql.run(
      'INSERT INTO events (position, event_id, stream_id, revision, type, data, meta) VALUES (?, ?, ?, ?, ?, ?, ?)',
      p,
      r.event_id,
      r.stream_id,
      r.revision,
      r.type,
      r.data,
      r.meta,
    );
  await sql.transaction(async () => {
    await sql.run('DELETE FROM events WHERE position IN (?, ?)', a, b);
    await insert(a, rb);
    await insert(b, ra);
  });
}

/**
 * Rewrites a stream's events and re-seals its whole chain with the product's sealRows, as the append would
 * have written them, then sets its head: every chain hash verifies afterwards.
 */
export async function rewriteStream(
  sql: Sql,
  streamId: string,
  change: (events: NewEvent[]) => void,
): Promise<void> {
  const stored = await sql.all<Row>('SELECT * FROM events WHERE stream_id = ? ORDER BY revision', streamId);
  const events: NewEvent[] = stored.map((r) => {
    const meta = JSON.parse(r.meta) as Record<string, unknown>;
    delete meta.hash;
    delete meta.prevHash;
    return {
      eventId: r.event_id,
      type: r.type,
      data: JSON.parse(r.data),
      meta: meta as unknown as NewEvent['meta'],
    };
  });
  change(events);
  const { rows: sealed, lastHash } = sealRows(streamId, 0, GENESIS_HASH, events);
  for (let i = 0; i < sealed.length; i++) {
    await sql.run(
      'UPDATE events SET data = ?, meta = ? WHERE position = ?',
      sealed[i]![3],
      sealed[i]![4],
      stored[i]!.position,
    );
  }
  await sql.run('UPDATE streams SET last_hash = ? WHERE stream_id = ?', lastHash, streamId);
}

/** Drops the stored tree and lets the product rebuild it from the (rewritten) events when it opens the store. */
export async function rebuildTree(t: TamperTarget): Promise<void> {
  const sql = await t.sql();
  await sql.run('DELETE FROM merkle_tree');
  await sql.close();
  const store = await t.openStore();
  await store.close();
}

/** Re-signs every kept checkpoint over the rebuilt tree with the platform's own key file. */
export async function resignCheckpoints(t: TamperTarget, origin: string): Promise<void> {
  const seed = Buffer.from(readFileSync(join(t.dataDir, 'checkpoint-key'), 'utf8').trim(), 'base64');
  const signer = new NoteSigner(origin, seed);
  const store = await t.openStore();
  const sql = await t.sql();
  try {
    for (const c of await store.checkpoints()) {
      const root = await store.rootAt(c.size);
      await sql.run(
        'UPDATE checkpoints SET root = ?, note = ? WHERE tree_size = ?',
        root,
        signer.signCheckpoint({ size: c.size, root }),
        c.size,
      );
    }
  } finally {
    await sql.close();
    await store.close();
  }
}

export function objectFile(dataDir: string, objectKey: string): string {
  return objectFilePath(dataDir, objectKey);
}

/** One byte of an object's body (after the filesystem store's 512-byte header) flipped. */
export function flipObjectByte(dataDir: string, objectKey: string): void {
  const file = objectFile(dataDir, objectKey);
  const bytes = readFileSync(file);
  bytes[bytes.length - 1] ^= 0x01;
  writeFileSync(file, bytes);
}

export function deleteObject(dataDir: string, objectKey: string): void {
  rmSync(objectFile(dataDir, objectKey));
}

/** Two objects' files trade places whole (headers too): each key now serves the other document's bytes. */
export function swapObjects(dataDir: string, a: string, b: string): void {
  const [fa, fb] = [objectFile(dataDir, a), objectFile(dataDir, b)];
  renameSync(fa, `${fa}.swap`);
  renameSync(fb, fa);
  renameSync(`${fa}.swap`, fb);
}

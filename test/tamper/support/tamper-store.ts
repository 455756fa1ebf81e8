import Database from 'better-sqlite3';
import { readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { GENESIS_HASH, NewEvent, NoteSigner, SqliteEventStore } from '@accord/event-store';
import { sealRows } from '../../../libs/event-store/src/adapters/sqlite/sqlite.seal';
import { objectFilePath } from '../../audit/support/audit-scenario';

/**
 * What an attacker with write access to DATA_DIR can do, done with the product's own code where it helps
 * them (sealRows re-seals a stream's chain, the store rebuilds its Merkle tree, the key file re-signs).
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

export const openDb = (dataDir: string): Database.Database => new Database(join(dataDir, 'events.db'));

export const rows = (db: Database.Database): Row[] =>
  db.prepare('SELECT * FROM events ORDER BY position').all() as Row[];

const hashOf = (r: Row): string => (JSON.parse(r.meta) as { hash: string }).hash;

/** A stream's `streams` row set to its last remaining event, as a careful attacker leaves it. */
export function fixHead(db: Database.Database, streamId: string): void {
  const last = db
    .prepare('SELECT * FROM events WHERE stream_id = ? ORDER BY revision DESC LIMIT 1')
    .get(streamId) as Row | undefined;
  if (!last) db.prepare('DELETE FROM streams WHERE stream_id = ?').run(streamId);
  else
    db.prepare('UPDATE streams SET revision = ?, last_hash = ? WHERE stream_id = ?').run(
      last.revision,
      hashOf(last),
      streamId,
    );
}

export function deleteEvents(db: Database.Database, positions: number[]): void {
  const streams = new Set<string>();
  for (const p of positions) {
    const r = db.prepare('SELECT stream_id FROM events WHERE position = ?').get(p) as { stream_id: string };
    streams.add(r.stream_id);
    db.prepare('DELETE FROM events WHERE position = ?').run(p);
  }
  for (const s of streams) fixHead(db, s);
}

/** Two stored events trade positions (each keeps its content, stream and revision). */
export function swapPositions(db: Database.Database, a: number, b: number): void {
  const get = (p: number) => db.prepare('SELECT * FROM events WHERE position = ?').get(p) as Row;
  const [ra, rb] = [get(a), get(b)];
  const insert = db.prepare(
    'INSERT INTO events (position, event_id, stream_id, revision, type, data, meta) VALUES (?, ?, ?, ?, ?, ?, ?)',
  );
  db.transaction(() => {
    db.prepare('DELETE FROM events WHERE position IN (?, ?)').run(a, b);
    insert.run(a, rb.event_id, rb.stream_id, rb.revision, rb.type, rb.data, rb.meta);
    insert.run(b, ra.event_id, ra.stream_id, ra.revision, ra.type, ra.data, ra.meta);
  })();
}

/**
 * Rewrites a stream's events and re-seals its whole chain with the product's sealRows, as the append would
 * have written them, then sets its head: every chain hash verifies afterwards.
 */
export function rewriteStream(
  db: Database.Database,
  streamId: string,
  change: (events: NewEvent[]) => void,
): void {
  const stored = db
    .prepare('SELECT * FROM events WHERE stream_id = ? ORDER BY revision')
    .all(streamId) as Row[];
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
  const update = db.prepare('UPDATE events SET data = ?, meta = ? WHERE position = ?');
  sealed.forEach((s, i) => update.run(s[3], s[4], stored[i]!.position));
  db.prepare('UPDATE streams SET last_hash = ? WHERE stream_id = ?').run(lastHash, streamId);
}

/** Drops the stored tree and lets the product rebuild it from the (rewritten) events when it opens the file. */
export async function rebuildTree(dataDir: string): Promise<void> {
  const db = openDb(dataDir);
  db.prepare('DELETE FROM merkle_tree').run();
  db.close();
  const store = new SqliteEventStore({ file: join(dataDir, 'events.db') });
  await store.close();
}

/** Re-signs every kept checkpoint over the rebuilt tree with the platform's own key file. */
export async function resignCheckpoints(dataDir: string, origin: string): Promise<void> {
  const seed = Buffer.from(readFileSync(join(dataDir, 'checkpoint-key'), 'utf8').trim(), 'base64');
  const signer = new NoteSigner(origin, seed);
  const store = new SqliteEventStore({ file: join(dataDir, 'events.db') });
  const kept = await store.checkpoints();
  const db = openDb(dataDir);
  for (const c of kept) {
    const root = await store.rootAt(c.size);
    db.prepare('UPDATE checkpoints SET root = ?, note = ? WHERE tree_size = ?').run(
      root,
      signer.signCheckpoint({ size: c.size, root }),
      c.size,
    );
  }
  db.close();
  await store.close();
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

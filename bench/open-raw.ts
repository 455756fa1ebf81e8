import { randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EVENTS_TABLE, openRawDb } from './raw-sqlite';
import { pseudoRandomBytes } from './share-payloads';

/**
 * The raw floor of an open (bench (k)): read the whole object from disk, then one durable SQLite append of a
 * DocumentAccessed of the api's shape. No HTTP, no Nest, no event-store adapter, no decision. Used in the
 * bench process (the in-process floor) and behind a bare node:http server (raw-http-app.ts, the floor over
 * HTTP), so both floors do the same work.
 */
export class RawOpenStore {
  private constructor(
    private readonly objects: string,
    private readonly documents: number,
    private readonly db: Database.Database,
    private readonly insert: (row: string[]) => void,
    private readonly data: string,
    private readonly meta: string,
  ) {}

  /** `documents` objects of `bytes` each (an object's header and a 4 KiB body: about 4.7 KB). */
  static async create(root: string, documents: number, bytes: number): Promise<RawOpenStore> {
    const objects = join(root, 'objects');
    mkdirSync(objects, { recursive: true });
    for (let i = 0; i < documents; i++)
      await writeFile(join(objects, `document-${i}`), pseudoRandomBytes(bytes, `raw-${i}`));
    const db = openRawDb(join(root, 'events.db'));
    db.exec(EVENTS_TABLE);
    const stmt = db.prepare(
      'INSERT INTO events (event_id, stream_id, revision, type, data, meta) VALUES (?, ?, 0, ?, ?, ?)',
    );
    const tx = db.transaction((row: string[]) => void stmt.run(...row));
    // A DocumentAccessed of the api's shape: client and organisation in data; actor, client, hashes in meta.
    const data = JSON.stringify({
      client: { ip: '127.0.0.1', country: 'GB' },
      orgId: 'bench-recipient-police',
    });
    const meta = JSON.stringify({
      occurredAt: new Date().toISOString(),
      actor: { userId: randomUUID(), orgId: 'bench-recipient-police', role: 'practitioner' },
      correlationId: randomUUID(),
      client: { ip: '127.0.0.1', country: 'GB' },
      prevHash: 'a'.repeat(64),
      hash: 'b'.repeat(64),
    });
    return new RawOpenStore(objects, documents, db, (row) => tx.immediate(row), data, meta);
  }

  /** Object `i` (modulo the count) read whole, and its access appended durably; the object's bytes. */
  async open(i: number): Promise<Buffer> {
    const file = await open(join(this.objects, `document-${i % this.documents}`), 'r');
    let body: Buffer;
    try {
      body = await readFile(file);
    } finally {
      await file.close();
    }
    const eventId = randomUUID();
    this.insert([eventId, `document-${eventId}`, 'DocumentAccessed', this.data, this.meta]);
    return body;
  }

  close(): void {
    this.db.close();
  }
}

import { createHash, randomUUID } from 'node:crypto';
import { mkdirSync } from 'node:fs';
import { open, rename } from 'node:fs/promises';
import { join } from 'node:path';
import { documentStreamId } from '@accord/domain';
import Database from 'better-sqlite3';
import { checkRecipients, inspectPublicKey, listRecipientKeyIds, type RecipientKey } from '@accord/crypto';
import { openRawDb } from './raw-sqlite';

/**
 * The raw baseline of a share: no HTTP, no Nest, no event-store adapter. What is left is what any store of
 * encrypted documents must do durably for each one: look at the PKESK packets, write the object as the
 * filesystem store does (temp file, write, fsync, rename, fsync the directory) and append one event row in
 * its own transaction to the adapter's `events` table with its pragmas (WAL, synchronous=FULL).
 */
export class RawShareStore {
  private constructor(
    private readonly dir: string,
    private readonly db: Database.Database,
    private readonly insert: (row: string[]) => void,
    private readonly recipient: RecipientKey,
    private readonly event: { data: string; meta: string },
  ) {}

  static async open(
    dir: string,
    keys: { recipientPublic: string },
    event: { eventData: string; eventMeta: string },
  ): Promise<RawShareStore> {
    mkdirSync(join(dir, 'objects'));
    mkdirSync(join(dir, 'tmp'));
    const db = openRawDb(join(dir, 'events.db'));
    const stmt = db.prepare(
      'INSERT INTO events (event_id, stream_id, revision, type, data, meta) VALUES (?, ?, 0, ?, ?, ?)',
    );
    const tx = db.transaction((row: string[]) => void stmt.run(...row));
    const recipient = await inspectPublicKey(keys.recipientPublic, { now: new Date() });
    return new RawShareStore(dir, db, (row) => tx.immediate(row), recipient, {
      data: event.eventData,
      meta: event.eventMeta,
    });
  }

  async save(i: number, ciphertext: Buffer): Promise<void> {
    const check = checkRecipients(await listRecipientKeyIds(ciphertext), [this.recipient]);
    if (!check.ok) throw new Error(`document ${i}: not to exactly the recipient's key`);
    // The api's store hashes what it writes (the event records the digest); so does the baseline.
    createHash('sha256').update(ciphertext).digest('hex');
    const temp = join(this.dir, 'tmp', randomUUID());
    const file = await open(temp, 'wx', 0o600);
    try {
      await file.writeFile(ciphertext);
      await file.sync();
    } finally {
      await file.close();
    }
    const objects = join(this.dir, 'objects');
    await rename(temp, join(objects, `document-${i}`));
    const handle = await open(objects, 'r');
    try {
      await handle.sync();
    } finally {
      await handle.close();
    }
    const eventId = randomUUID();
    this.insert([eventId, documentStreamId(eventId), 'DocumentShared', this.event.data, this.event.meta]);
  }

  close(): void {
    this.db.close();
  }
}

export interface SharedEventTemplate {
  [k: string]: string | number;
  eventData: string;
  eventMeta: string;
  eventBytes: number;
  eventsPerShare: number;
}

/**
 * One DocumentShared row as the api wrote it (for the raw side to write rows of the same bytes), and how
 * many events a share appended on average, from the api's own events.db once it has stopped.
 */
export function sharedEventTemplate(file: string, shares: number): SharedEventTemplate {
  const db = new Database(file, { readonly: true });
  try {
    const row = db
      .prepare("SELECT data, meta FROM events WHERE type = 'DocumentShared' ORDER BY position DESC LIMIT 1")
      .get() as { data: string; meta: string } | undefined;
    if (!row) throw new Error('the api recorded no DocumentShared');
    const onDocuments = db
      .prepare("SELECT count(*) FROM events WHERE stream_id LIKE 'document-%'")
      .pluck()
      .get() as number;
    const recorded = db
      .prepare("SELECT count(*) FROM events WHERE type = 'DocumentShared'")
      .pluck()
      .get() as number;
    if (recorded !== shares) throw new Error(`expected ${shares} DocumentShared, found ${recorded}`);
    return {
      eventData: row.data,
      eventMeta: row.meta,
      eventBytes: Buffer.byteLength(row.data) + Buffer.byteLength(row.meta),
      eventsPerShare: Math.round((onDocuments / shares) * 100) / 100,
    };
  } finally {
    db.close();
  }
}

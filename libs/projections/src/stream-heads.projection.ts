import type { RecordedEvent } from '@accord/event-store';
import type { Statement } from 'better-sqlite3';
import { ALL_EVENTS, Projection, ReadDb } from './projection';

export interface StreamHead {
  streamId: string;
  revision: number;
  lastPosition: number;
  eventCount: number;
  lastType: string;
}

interface Statements {
  upsert: Statement<[string, number, number, number, string]>;
  get: Statement<[string], StreamHead>;
}

/** Statements are prepared once per connection: preparing per event would dominate a million-event replay. */
const prepared = new WeakMap<ReadDb, Statements>();

function statements(db: ReadDb): Statements {
  let s = prepared.get(db);
  if (!s) {
    s = {
      upsert: db.prepare(
        `INSERT INTO stream_heads (stream_id, revision, last_position, event_count, last_type) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, last_position = excluded.last_position,
           event_count = event_count + excluded.event_count, last_type = excluded.last_type`,
      ),
      get: db.prepare(
        `SELECT stream_id AS streamId, revision, last_position AS lastPosition, event_count AS eventCount,
                last_type AS lastType
         FROM stream_heads WHERE stream_id = ?`,
      ),
    };
    prepared.set(db, s);
  }
  return s;
}

/** A stream's head as a batch leaves it, and how many of its events the batch holds. */
interface Pending {
  revision: number;
  position: number;
  count: number;
  type: string;
}

/** stream id -> its pending head, per connection, for the batch being applied. */
const batches = new WeakMap<ReadDb, Map<string, Pending>>();

/**
 * Every stream's latest revision, position and event count: existence checks and admin listings.
 * A batch's events are gathered per stream and written once per stream at its end (docs/architecture.md
 * §37.2.1): an upsert per event was a tenth of a replay, most of a document's events falling in one batch.
 */
export const streamHeadsProjection: Projection = {
  name: 'stream-heads',
  version: 1,
  handles: [ALL_EVENTS],
  migrate(db) {
    db.exec(
      `CREATE TABLE IF NOT EXISTS stream_heads (
         stream_id TEXT PRIMARY KEY, revision INTEGER NOT NULL, last_position INTEGER NOT NULL,
         event_count INTEGER NOT NULL, last_type TEXT NOT NULL) STRICT`,
    );
  },
  reset(db) {
    prepared.delete(db);
    batches.delete(db);
    db.exec('DROP TABLE IF EXISTS stream_heads');
  },
  startBatch(db) {
    batches.set(db, new Map());
  },
  apply(event: RecordedEvent, db) {
    const pending = batches.get(db)!;
    const head = pending.get(event.streamId);
    if (head) {
      head.revision = event.revision;
      head.position = event.position;
      head.count += 1;
      head.type = event.type;
    } else {
      pending.set(event.streamId, {
        revision: event.revision,
        position: event.position,
        count: 1,
        type: event.type,
      });
    }
  },
  endBatch(db) {
    const s = statements(db);
    for (const [streamId, h] of batches.get(db)!)
      s.upsert.run(streamId, h.revision, h.position, h.count, h.type);
    batches.delete(db);
  },
};

export function getStreamHead(db: ReadDb, streamId: string): StreamHead | undefined {
  return statements(db).get.get(streamId);
}

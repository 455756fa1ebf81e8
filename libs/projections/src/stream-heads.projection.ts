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
  upsert: Statement<[string, number, number, string]>;
  get: Statement<[string], StreamHead>;
}

/** Statements are prepared once per connection: preparing per event would dominate a million-event replay. */
const prepared = new WeakMap<ReadDb, Statements>();

function statements(db: ReadDb): Statements {
  let s = prepared.get(db);
  if (!s) {
    s = {
      upsert: db.prepare(
        `INSERT INTO stream_heads (stream_id, revision, last_position, event_count, last_type) VALUES (?, ?, ?, 1, ?)
         ON CONFLICT (stream_id) DO UPDATE SET revision = excluded.revision, last_position = excluded.last_position,
           event_count = event_count + 1, last_type = excluded.last_type`,
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

/** Every stream's latest revision, position and event count: existence checks and admin listings. */
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
    db.exec('DROP TABLE IF EXISTS stream_heads');
  },
  apply(event: RecordedEvent, db) {
    statements(db).upsert.run(event.streamId, event.revision, event.position, event.type);
  },
};

export function getStreamHead(db: ReadDb, streamId: string): StreamHead | undefined {
  return statements(db).get.get(streamId);
}

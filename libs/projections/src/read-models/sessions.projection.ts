import {
  evolveSession,
  idOfStream,
  initialSessionState,
  SESSION_EVENT_TYPES,
  SessionEvent,
  SessionState,
} from '@accord/domain';
import type { RecordedEvent } from '@accord/event-store';
import type { Projection, ReadDb } from '../projection';
import { forgetStatements, sql } from '../statement-cache';

export const SESSION_TABLES = ['sessions'] as const;

/**
 * The browser sessions as this node last projected them (docs/architecture.md §34): one row per session,
 * its folded state, keyed by the session id (the SHA-256 of the cookie's secret; the secret is never here).
 * The api reads it on every cookie-authenticated request; a session it does not know yet (started a moment
 * ago on another node) is folded from its stream on the event store instead.
 */
export const sessionsProjection: Projection = {
  name: 'sessions',
  version: 1,
  handles: [...SESSION_EVENT_TYPES],
  migrate(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS sessions (
        session_id TEXT PRIMARY KEY, user_id TEXT NOT NULL, status TEXT NOT NULL, state TEXT NOT NULL) STRICT;
      CREATE INDEX IF NOT EXISTS sessions_by_user ON sessions (user_id, status);
    `);
  },
  reset(db) {
    forgetStatements(db);
    for (const table of SESSION_TABLES) db.exec(`DROP TABLE IF EXISTS ${table}`);
  },
  apply(event: RecordedEvent, db: ReadDb) {
    const sessionId = idOfStream('session', event.streamId);
    const change = { type: event.type, data: event.data } as SessionEvent;
    const after = evolveSession(projectedSession(db, sessionId) ?? initialSessionState(), change);
    if (after.status === 'none') return;
    sql(
      db,
      `INSERT INTO sessions (session_id, user_id, status, state) VALUES (?, ?, ?, ?)
       ON CONFLICT (session_id) DO UPDATE SET status = excluded.status, state = excluded.state`,
    ).run(sessionId, after.userId, after.status, JSON.stringify(after));
  },
};

/** The session as this node has projected it; undefined when the projector has not seen it (yet). */
export function projectedSession(db: ReadDb, sessionId: string): SessionState | undefined {
  const row = sql(db, 'SELECT state FROM sessions WHERE session_id = ?').get(sessionId) as
    { state: string } | undefined;
  return row ? (JSON.parse(row.state) as SessionState) : undefined;
}

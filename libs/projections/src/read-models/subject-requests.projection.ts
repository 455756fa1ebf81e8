import {
  evolveSubjectRequest,
  initialSubjectRequestState,
  SUBJECT_REQUEST_EVENT_TYPES,
  SUBJECT_REQUEST_STREAM_PREFIX,
  SubjectRequestEvent,
  SubjectRequestState,
} from '@accord/domain';
import type { RecordedEvent } from '@accord/event-store';
import type { Projection, ReadDb } from '../projection';
import { forgetStatements, sql } from '../statement-cache';
import { evolveRowState } from './row-state';

export const SUBJECT_REQUEST_TABLES = ['subject_requests'] as const;

/**
 * Data-subject requests by state, so the platform can find one a crash left half done (received, some
 * documents changed, no outcome yet) and finish it. The row keeps the folded state without the subject
 * reference and the reason, which stay on the request's own stream (the resume job reads that stream).
 */
export const subjectRequestsProjection: Projection = {
  name: 'subject-requests',
  // 2: the subject reference and the reason are no longer kept in the row.
  version: 2,
  handles: SUBJECT_REQUEST_EVENT_TYPES,
  migrate(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS subject_requests (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, org_id TEXT NOT NULL, received_at TEXT NOT NULL,
        status TEXT NOT NULL, state TEXT NOT NULL) STRICT;
      CREATE INDEX IF NOT EXISTS subject_requests_unfinished ON subject_requests (received_at)
        WHERE status = 'received';
    `);
  },
  reset(db) {
    forgetStatements(db);
    for (const table of SUBJECT_REQUEST_TABLES) db.exec(`DROP TABLE IF EXISTS ${table}`);
  },
  apply(event: RecordedEvent, db: ReadDb) {
    if (!event.streamId.startsWith(SUBJECT_REQUEST_STREAM_PREFIX)) return;
    const id = event.streamId.slice(SUBJECT_REQUEST_STREAM_PREFIX.length);
    const after = evolveRowState<SubjectRequestState, SubjectRequestEvent>(
      db,
      'subject_requests',
      id,
      initialSubjectRequestState(),
      evolveSubjectRequest,
      event,
    );
    if (after.status === 'none') return;
    // Neither the subject reference nor the reason is kept: evolving needs neither, and the stream has both.
    const kept = { ...after, subjectRef: '', reason: '' };
    sql(
      db,
      `INSERT INTO subject_requests (id, kind, org_id, received_at, status, state) VALUES (?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, state = excluded.state`,
    ).run(id, after.kind, after.orgId, after.receivedAt, after.status, JSON.stringify(kept));
  },
};

/** Requests received at or before `receivedBy` and still without an outcome, oldest first. */
export function unfinishedSubjectRequestIds(db: ReadDb, receivedBy: string, limit = 100): string[] {
  return sql(
    db,
    `SELECT id FROM subject_requests WHERE status = 'received' AND received_at <= ?
     ORDER BY received_at LIMIT ?`,
  )
    .pluck()
    .all(receivedBy, limit) as string[];
}

import { currentTerms, reviewRemindersBetween } from '@accord/domain';
import type { Statement } from 'better-sqlite3';
import type { ReadDb } from '../projection';
import { listAgreementRecords } from './agreements.queries';
import type { NotificationAudience, NotificationKind } from './notifications.projection';

export interface NotificationRecord {
  id: string;
  kind: NotificationKind;
  audience: NotificationAudience;
  createdAt: string;
  agreementId: string;
  title: string;
  message: string;
}

export interface InboxOptions {
  /** Which entries the reader may see (an IG lead: both; other members: `organisation`). */
  audiences: readonly NotificationAudience[];
  /** Newest first, at most this many. */
  limit: number;
}

/** The first instant of the reminder window: every reminder of the current review cycle up to "now". */
const BEGINNING = new Date(0);

/**
 * An organisation's inbox at `now`: the stored, event-fed entries plus the review reminders that have
 * fallen due by `now`. Reminders are derived, not stored, because they are due to the passing of time, which
 * no event records: computing them from the agreement's stored `nextReviewDue` with the domain's
 * reviewRemindersBetween() gives the same answer on every node and after any rebuild. A recorded review
 * moves `nextReviewDue`, so the reminders of a cycle that is done leave the inbox with it.
 */
export function inboxFor(db: ReadDb, orgId: string, now: Date, options: InboxOptions): NotificationRecord[] {
  const audiences = [...new Set(options.audiences)];
  if (audiences.length === 0 || options.limit <= 0) return [];
  const stored = sql(
    db,
    `SELECT id, kind, audience, created_at AS createdAt, agreement_id AS agreementId, title, message
     FROM notifications WHERE org_id = ? AND audience IN (${audiences.map(() => '?').join(', ')})
     ORDER BY created_at DESC, position DESC, id LIMIT ?`,
  ).all(orgId, ...audiences, options.limit) as NotificationRecord[];
  const reminders = audiences.includes('ig-lead') ? reviewReminders(db, orgId, now) : [];
  return [...stored, ...reminders]
    .sort((a, b) =>
      a.createdAt === b.createdAt ? a.id.localeCompare(b.id) : a.createdAt < b.createdAt ? 1 : -1,
    )
    .slice(0, options.limit);
}

function reviewReminders(db: ReadDb, orgId: string, now: Date): NotificationRecord[] {
  const out: NotificationRecord[] = [];
  for (const agreement of listAgreementRecords(db, { party: orgId })) {
    for (const r of reviewRemindersBetween(agreement.state, BEGINNING, now)) {
      if (r.orgId !== orgId) continue;
      const due = r.reviewDue.slice(0, 10);
      out.push({
        id: `${agreement.id}:${r.key}`,
        kind: r.kind,
        audience: 'ig-lead',
        createdAt: r.remindAt,
        agreementId: agreement.id,
        title: (agreement.state.activeTerms ?? currentTerms(agreement.state)).title,
        message:
          r.kind === 'review-due'
            ? `The agreement's review fell due on ${due}. It stays in force, flagged as overdue, until a review is recorded.`
            : `The agreement's review is due on ${due}.`,
      });
    }
  }
  return out;
}

const prepared = new WeakMap<ReadDb, Map<string, Statement>>();

function sql(db: ReadDb, query: string): Statement {
  let cache = prepared.get(db);
  if (!cache) prepared.set(db, (cache = new Map()));
  let statement = cache.get(query);
  if (!statement) cache.set(query, (statement = db.prepare(query)));
  return statement;
}

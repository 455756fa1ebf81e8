import {
  awaitsIco,
  currentTerms,
  icoDeadlineOf,
  icoReminderAtOf,
  isOverdueAt,
  reviewRemindersBetween,
} from '@accord/domain';
import type { ReadDb } from '../projection';
import { findAgreement, listAgreementRecords } from './agreements.queries';
import { breachesProjected, listBreachRecords } from './breaches.queries';
import type { NotificationAudience, NotificationKind } from './notifications.projection';
import { sql } from '../statement-cache';

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
  const reminders = audiences.includes('ig-lead')
    ? [...reviewReminders(db, orgId, now), ...breachReminders(db, orgId, now)]
    : [];
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

/**
 * ICO reminders for a breach whose 72-hour clock (UK GDPR Art 33) is running (the domain's awaitsIco(),
 * which the breach list's `overdue` asks too, so the inbox and the list agree). Derived at read time like review reminders; an ICO
 * notification, an "unreportable" assessment or the closure takes them out of the inbox.
 */
function breachReminders(db: ReadDb, orgId: string, now: Date): NotificationRecord[] {
  const out: NotificationRecord[] = [];
  if (!breachesProjected(db)) return out;
  for (const { id, state } of listBreachRecords(db, orgId)) {
    if (!awaitsIco(state)) continue;
    const deadline = icoDeadlineOf(state.discoveredAt);
    const agreement = state.agreementId === null ? undefined : findAgreement(db, state.agreementId);
    const base = {
      audience: 'ig-lead' as const,
      agreementId: state.agreementId ?? '',
      title: agreement ? (agreement.state.activeTerms ?? currentTerms(agreement.state)).title : 'Data breach',
    };
    const remindAt = icoReminderAtOf(state.discoveredAt);
    if (Date.parse(remindAt) <= now.getTime()) {
      out.push({
        ...base,
        id: `${id}:ico-48h`,
        kind: 'breach-ico-due-in-24-hours',
        createdAt: remindAt,
        message: `Breach ${id}: the ICO must be notified by ${deadline} if it is reportable.`,
      });
    }
    if (isOverdueAt(state, now)) {
      out.push({
        ...base,
        id: `${id}:ico-72h`,
        kind: 'breach-ico-overdue',
        createdAt: deadline,
        message: `Breach ${id}: 72 hours since discovery passed at ${deadline} without an ICO notification.`,
      });
    }
  }
  return out;
}

import {
  currentTerms,
  EmailKind,
  EmailRefs,
  ExistingBreach,
  icoDeadlineOf,
  icoReminderAtOf,
  reviewRemindersBetween,
} from '@accord/domain';
import type { ReadDb } from '../projection';
import { listAgreementRecords } from './agreements.queries';
import { breachesProjected } from './breaches.queries';
import type { InboxItemKind, InboxItemRecord } from './inbox.records';
import { emailNotificationIdFor, igLeadsOf, loadInboxAgreement } from './inbox.projection';
import { sql } from '../statement-cache';

export type { InboxItemRecord } from './inbox.records';

export interface InboxPage {
  items: InboxItemRecord[];
  /** `unread_position` of the last item when there is more, to pass back as `after`. */
  nextAfter: string | null;
}

interface Row {
  id: string;
  kind: InboxItemKind;
  documentId: string;
  occurredAt: string;
  unread: number;
  readAt: string | null;
  position: number;
  detail: string | null;
  agreementId: string;
  agreementVersion: number;
  senderOrg: string;
  sharedBy: string | null;
  title: string;
  purpose: string;
  nature: string;
  sharedAt: string;
}

export const INBOX_CURSOR = /^[01]_\d{1,15}$/;

/**
 * A user's inbox, unread first, then newest first (by log position), from after `after` (a previous
 * `nextAfter`). Opening a document moves its entries to the read part, so a client paging while reading may
 * meet an entry twice; keyset paging never skips one that stayed where it was.
 */
export function inboxPage(db: ReadDb, userId: string, page: { after?: string; limit: number }): InboxPage {
  const params: (string | number)[] = [userId];
  // Only the entries the user is still addressed by (need-to-know, kept by the projection): a page is `limit`
  // entries long whenever that many follow.
  let where = 'i.user_id = ? AND i.addressed = 1';
  if (page.after !== undefined) {
    const [unread, position] = page.after.split('_').map(Number) as [number, number];
    where += ' AND (i.unread < ? OR (i.unread = ? AND i.position < ?))';
    params.push(unread, unread, position);
  }
  const rows = sql(
    db,
    `SELECT i.id, i.kind, i.document_id AS documentId, i.occurred_at AS occurredAt, i.unread, i.read_at AS readAt,
       i.position, i.detail, d.agreement_id AS agreementId, d.agreement_version AS agreementVersion,
       d.sender_org AS senderOrg, d.shared_by AS sharedBy, d.title, d.purpose, d.nature, d.shared_at AS sharedAt
     FROM inbox_items i JOIN inbox_documents d ON d.document_id = i.document_id
     WHERE ${where} ORDER BY i.unread DESC, i.position DESC LIMIT ?`,
  ).all(...params, page.limit + 1) as Row[];
  const more = rows.length > page.limit;
  const shown = more ? rows.slice(0, page.limit) : rows;
  const last = shown.at(-1);
  return {
    items: shown.map((r) => ({
      id: r.id,
      kind: r.kind,
      documentId: r.documentId,
      occurredAt: r.occurredAt,
      read: r.unread === 0,
      readAt: r.readAt,
      agreementId: r.agreementId,
      agreementVersion: r.agreementVersion,
      senderOrg: r.senderOrg,
      sharedBy: r.sharedBy,
      title: r.title,
      purpose: r.purpose,
      nature: r.nature,
      sharedAt: r.sharedAt,
      supersededBy: r.kind === 'document-superseded' ? r.detail : null,
    })),
    nextAfter: more && last ? `${last.unread}_${last.position}` : null,
  };
}

/** How many unread entries a user has that they are still addressed by: one count on the page's index. */
export function unreadInboxCount(db: ReadDb, userId: string): number {
  return (
    sql(db, `SELECT COUNT(*) AS n FROM inbox_items WHERE user_id = ? AND addressed = 1 AND unread = 1`).get(
      userId,
    ) as { n: number }
  ).n;
}

export interface EmailOutboxRecord {
  id: string;
  kind: EmailKind;
  userId: string;
  refs: EmailRefs;
  status: 'pending' | 'attempting' | 'failed' | 'sent' | 'abandoned';
  attempts: number;
  createdAt: string;
  messageId: string | null;
}

interface OutboxRow extends Omit<EmailOutboxRecord, 'refs'> {
  refs: string;
}

const outboxRecord = (r: OutboxRow): EmailOutboxRecord => ({ ...r, refs: JSON.parse(r.refs) as EmailRefs });

/**
 * Emails due at `now`: never attempted (if caused no earlier than `notBefore`: a first start with SMTP over an
 * old log does not mail its history), a retry whose time has come, or a claim whose process died.
 */
export function dueEmails(db: ReadDb, now: string, notBefore: string, limit: number): EmailOutboxRecord[] {
  return (
    sql(
      db,
      `SELECT id, kind, user_id AS userId, refs, status, attempts, created_at AS createdAt, message_id AS messageId
       FROM email_outbox WHERE due_at IS NOT NULL AND due_at <= ? AND (status <> 'pending' OR created_at >= ?)
       ORDER BY due_at, id LIMIT ?`,
    ).all(now, notBefore, limit) as OutboxRow[]
  ).map(outboxRecord);
}

export function findEmail(db: ReadDb, id: string): EmailOutboxRecord | undefined {
  const row = sql(
    db,
    `SELECT id, kind, user_id AS userId, refs, status, attempts, created_at AS createdAt, message_id AS messageId
     FROM email_outbox WHERE id = ?`,
  ).get(id) as OutboxRow | undefined;
  return row ? outboxRecord(row) : undefined;
}

/** The agreement's title as the inbox projection folded it, for a message (the only title an email names). */
export function agreementTitleForEmail(db: ReadDb, agreementId: string | undefined): string | undefined {
  if (agreementId === undefined) return undefined;
  const state = loadInboxAgreement(db, agreementId);
  return state.status === 'none' ? undefined : (state.activeTerms ?? currentTerms(state)).title;
}

export interface ReminderEmail {
  id: string;
  kind: EmailKind;
  userId: string;
  refs: EmailRefs;
}

/**
 * Reminders that fell due in (since, now] and have no email yet: review reminders (30 days before and on the
 * due date, to each party's IG leads) and the ICO 24-hour warning (48 h after discovery of a breach with no
 * ICO notification and not assessed unreportable, to the reporting organisation's IG leads). Derived from the
 * clock as the inbox of `/notifications` derives them (docs/architecture.md §13), with ids from the
 * reminder's key, so every pass and every node names the same email.
 */
export function dueReminderEmails(db: ReadDb, since: Date, now: Date): ReminderEmail[] {
  const out: ReminderEmail[] = [];
  const known = sql(db, `SELECT 1 FROM email_outbox WHERE id = ?`);
  const add = (cause: string, kind: EmailKind, userIds: string[], refs: EmailRefs) => {
    for (const userId of userIds) {
      const id = emailNotificationIdFor(cause, userId);
      if (known.get(id) === undefined) out.push({ id, kind, userId, refs });
    }
  };
  for (const agreement of listAgreementRecords(db)) {
    for (const r of reviewRemindersBetween(agreement.state, since, now))
      add(`${agreement.id}:${r.key}:${r.orgId}`, 'review-reminder', igLeadsOf(db, [r.orgId]), {
        agreementId: agreement.id,
        dueAt: r.reviewDue,
      });
  }
  if (breachesProjected(db)) {
    const open = sql(db, `SELECT id, state FROM breaches`).all() as { id: string; state: string }[];
    for (const row of open) {
      const state = JSON.parse(row.state) as ExistingBreach;
      if (state.status === 'closed' || state.ico !== null || state.assessment?.icoReportable === false)
        continue;
      const remindAt = Date.parse(icoReminderAtOf(state.discoveredAt));
      const deadline = Date.parse(icoDeadlineOf(state.discoveredAt));
      if (remindAt <= since.getTime() || remindAt > now.getTime() || deadline <= now.getTime()) continue;
      add(`${row.id}:ico-48h`, 'breach-ico-24-hours', igLeadsOf(db, [state.reportedBy]), {
        breachId: row.id,
        ...(state.agreementId !== null ? { agreementId: state.agreementId } : {}),
        dueAt: icoDeadlineOf(state.discoveredAt),
      });
    }
  }
  return out;
}

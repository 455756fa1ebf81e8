import {
  AGREEMENT_EVENT_TYPES,
  AgreementEvent,
  AgreementState,
  assertNever,
  currentTerms,
  DocumentRevoked,
  DocumentSuperseded,
  evolveAgreement,
  ExistingAgreement,
  idOfStream,
  initialAgreementState,
  PartnersNotified,
} from '@accord/domain';
import type { RecordedEvent } from '@accord/event-store';
import type { Projection, ReadDb } from '../projection';
import { isWellFormedAgreementEvent } from './agreements.event-shape';
import { agreementIdOf } from './agreements.projection';
import { breachIdOf } from './breaches.projection';
import { forgetStatements, sql } from '../statement-cache';

export const NOTIFICATION_TABLES = ['notifications', 'notification_agreements'] as const;

export type NotificationKind =
  | 'signature-requested'
  | 'agreement-activated'
  | 'agreement-suspended'
  | 'agreement-reinstated'
  | 'agreement-terminated'
  | 'party-withdrawn'
  | 'review-due-in-30-days'
  | 'review-due'
  | 'breach-reported'
  | 'breach-ico-due-in-24-hours'
  | 'breach-ico-overdue'
  | 'document-superseded'
  | 'document-revoked';

/**
 * Who in the organisation reads an entry: `ig-lead` entries ask for an IG lead's action (sign, review);
 * `organisation` entries change what every user may do (an agreement starts, pauses or ends).
 */
export type NotificationAudience = 'ig-lead' | 'organisation';

/**
 * The event-fed part of each organisation's inbox. Review reminders are not stored: they fall due with the
 * clock, not with an event, so notifications.queries.ts computes them when the inbox is read. This
 * projection folds agreements itself (table `notification_agreements`) rather than reading the agreements
 * read model, so rebuilding either one alone cannot pair an old event with a newer state.
 */
export const notificationsProjection: Projection = {
  name: 'notifications',
  // 3: document-revoked notices (docs/architecture.md §25).
  version: 3,
  handles: [...AGREEMENT_EVENT_TYPES, 'PartnersNotified', 'DocumentSuperseded', 'DocumentRevoked'],
  migrate(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS notifications (
        id TEXT PRIMARY KEY, org_id TEXT NOT NULL, kind TEXT NOT NULL, audience TEXT NOT NULL,
        created_at TEXT NOT NULL, agreement_id TEXT NOT NULL, title TEXT NOT NULL, message TEXT NOT NULL,
        position INTEGER NOT NULL) STRICT;
      CREATE INDEX IF NOT EXISTS notifications_by_org ON notifications (org_id, created_at, id);
      CREATE TABLE IF NOT EXISTS notification_agreements (agreement_id TEXT PRIMARY KEY, state TEXT NOT NULL) STRICT;
    `);
  },
  reset(db) {
    forgetStatements(db);
    for (const table of NOTIFICATION_TABLES) db.exec(`DROP TABLE IF EXISTS ${table}`);
  },
  apply(event: RecordedEvent, db: ReadDb) {
    if (event.type === 'PartnersNotified') return breachReported(event, db);
    if (event.type === 'DocumentSuperseded') return documentSuperseded(event, db);
    if (event.type === 'DocumentRevoked') return documentRevoked(event, db);
    if (!isWellFormedAgreementEvent(event.type, event.data)) return;
    const agreementId = agreementIdOf(event.streamId);
    const change = { type: event.type, data: event.data } as AgreementEvent;
    const before = loadState(db, agreementId);
    const after = evolveAgreement(before, change);
    if (after.status === 'none') return;
    sql(
      db,
      `INSERT INTO notification_agreements (agreement_id, state) VALUES (?, ?)
       ON CONFLICT (agreement_id) DO UPDATE SET state = excluded.state`,
    ).run(agreementId, JSON.stringify(after));
    const entry = entryFor(change, before, after);
    if (!entry) return;
    notifyOrganisations(db, event, entry.to, {
      kind: entry.kind,
      audience: entry.audience,
      agreementId,
      title: (after.activeTerms ?? currentTerms(after)).title,
      message: entry.message,
    });
  },
};

interface Entry {
  kind: NotificationKind;
  audience: NotificationAudience;
  to: readonly string[];
  message: string;
}

/** Messages name versions, dates and organisation ids only: no signatory, no free-text reason. */
function entryFor(
  change: AgreementEvent,
  before: AgreementState,
  after: ExistingAgreement,
): Entry | undefined {
  const everyone = allParties(after);
  switch (change.type) {
    case 'AgreementDrafted':
      return {
        kind: 'signature-requested',
        audience: 'ig-lead',
        to: currentTerms(after).parties,
        message: "Version 1 was drafted and awaits your organisation's signature.",
      };
    case 'AgreementAmended': {
      const governing =
        after.activeVersion === null
          ? ''
          : ` Version ${after.activeVersion} governs shares until every party has signed.`;
      return {
        kind: 'signature-requested',
        audience: 'ig-lead',
        to: currentTerms(after).parties,
        message: `Version ${change.data.version} was proposed as an amendment and awaits your organisation's signature.${governing}`,
      };
    }
    case 'AgreementActivated': {
      const first = before.status !== 'none' && before.firstActivatedAt === null;
      return {
        kind: 'agreement-activated',
        audience: 'organisation',
        to: after.activeTerms?.parties ?? everyone,
        message: first
          ? `Every party signed version ${change.data.version}: the agreement is in force.`
          : `Every party signed version ${change.data.version}: it now governs new shares.`,
      };
    }
    case 'AgreementSuspended':
      return {
        kind: 'agreement-suspended',
        audience: 'organisation',
        to: everyone,
        message: 'The agreement was suspended: no document may be shared under it until it is reinstated.',
      };
    case 'AgreementReinstated':
      return {
        kind: 'agreement-reinstated',
        audience: 'organisation',
        to: everyone,
        message: 'The agreement was reinstated.',
      };
    case 'AgreementTerminated':
      return {
        kind: 'agreement-terminated',
        audience: 'organisation',
        to: everyone,
        message: `Notice of termination was served by ${change.data.noticeServedBy}; the agreement ends on ${change.data.effectiveAt.slice(0, 10)}.`,
      };
    case 'PartyWithdrawn':
      return {
        kind: 'party-withdrawn',
        audience: 'organisation',
        to: everyone,
        message: `${change.data.orgId} withdraws from the agreement on ${change.data.effectiveAt.slice(0, 10)}; the other parties carry on while at least two remain.`,
      };
    case 'AgreementSigned':
    case 'AgreementReviewed':
    case 'AgreementImported':
      return undefined;
    default:
      return assertNever(change, 'agreement event');
  }
}

/**
 * A breach notice for the IG leads of every organisation notified (docs/architecture.md §12:
 * PartnersNotified). It names the breach, its severity and the reporting organisation, never the description,
 * which may hold personal data. `agreement_id` is empty when no agreement was named.
 */
function breachReported(event: RecordedEvent, db: ReadDb): void {
  const d = event.data as Partial<PartnersNotified['data']>;
  if (!Array.isArray(d.orgIds) || typeof d.reportedBy !== 'string') return;
  const breachId = breachIdOf(event.streamId);
  const agreementId = typeof d.agreementId === 'string' ? d.agreementId : '';
  const agreement = agreementId === '' ? initialAgreementState() : loadState(db, agreementId);
  const title =
    agreement.status === 'none' ? 'Data breach' : (agreement.activeTerms ?? currentTerms(agreement)).title;
  const kind = d.nearMiss === true ? 'near miss' : `${String(d.severity)}-severity breach`;
  const message = `A ${kind} (${breachId}) was reported by ${d.reportedBy}. Assess your organisation's exposure.`;
  notifyOrganisations(db, event, d.orgIds, {
    kind: 'breach-reported',
    audience: 'ig-lead',
    agreementId: agreementId,
    title,
    message,
  });
}

/**
 * UK GDPR Art 19: every recipient of a rectified document is told that a corrected one supersedes it. For
 * the whole organisation (practitioners act on the document); it names the two document ids, never a title.
 */
function documentSuperseded(event: RecordedEvent, db: ReadDb): void {
  const d = event.data as Partial<DocumentSuperseded['data']>;
  if (!Array.isArray(d.recipients) || typeof d.supersededBy !== 'string' || typeof d.agreementId !== 'string')
    return;
  const documentId = idOfStream('document', event.streamId);
  const agreement = loadState(db, d.agreementId);
  const title =
    agreement.status === 'none'
      ? 'Document rectified'
      : (agreement.activeTerms ?? currentTerms(agreement)).title;
  const message = `Document ${documentId} was rectified: the corrected document ${d.supersededBy} supersedes it. Use the corrected one.`;
  notifyOrganisations(db, event, d.recipients, {
    kind: 'document-superseded',
    audience: 'organisation',
    agreementId: d.agreementId,
    title,
    message,
  });
}

/**
 * docs/architecture.md §25: every recipient organisation is told that the sender revoked a document (its id
 * and the agreement's title, never the document's title or the reason, which may name the person).
 */
function documentRevoked(event: RecordedEvent, db: ReadDb): void {
  const d = event.data as Partial<DocumentRevoked['data']>;
  if (!Array.isArray(d.recipients) || typeof d.agreementId !== 'string') return;
  const documentId = idOfStream('document', event.streamId);
  const agreement = loadState(db, d.agreementId);
  const title =
    agreement.status === 'none'
      ? 'Document revoked'
      : (agreement.activeTerms ?? currentTerms(agreement)).title;
  const message = `Document ${documentId} was revoked by its sender: it can no longer be opened and its payload is destroyed. Delete any copy you made.`;
  notifyOrganisations(db, event, d.recipients, {
    kind: 'document-revoked',
    audience: 'organisation',
    agreementId: d.agreementId,
    title,
    message,
  });
}

/**
 * One entry per event and organisation (the non-string ids of a malformed event skipped): the ids are stable,
 * so a rebuild makes the same inbox.
 */
function notifyOrganisations(
  db: ReadDb,
  event: RecordedEvent,
  orgIds: readonly unknown[],
  entry: {
    kind: NotificationKind;
    audience: NotificationAudience;
    agreementId: string;
    title: string;
    message: string;
  },
): void {
  const insert = sql(
    db,
    `INSERT INTO notifications (id, org_id, kind, audience, created_at, agreement_id, title, message, position)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (id) DO NOTHING`,
  );
  for (const orgId of orgIds) {
    if (typeof orgId !== 'string') continue;
    insert.run(
      `${event.eventId}:${orgId}`,
      orgId,
      entry.kind,
      entry.audience,
      event.meta.occurredAt,
      entry.agreementId,
      entry.title,
      entry.message,
      event.position,
    );
  }
}

/** Parties of the terms in force and of a version awaiting signatures: both hear that the agreement changed. */
function allParties(state: ExistingAgreement): string[] {
  return [...new Set([...(state.activeTerms?.parties ?? []), ...currentTerms(state).parties])];
}

function loadState(db: ReadDb, agreementId: string): AgreementState {
  const row = sql(db, `SELECT state FROM notification_agreements WHERE agreement_id = ?`).get(agreementId) as
    { state: string } | undefined;
  return row ? (JSON.parse(row.state) as ExistingAgreement) : initialAgreementState();
}

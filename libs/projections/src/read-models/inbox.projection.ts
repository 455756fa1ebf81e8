import {
  addresseesOfShare,
  AGREEMENT_EVENT_TYPES,
  AgreementEvent,
  AgreementState,
  assertNever,
  currentTerms,
  DocumentEvent,
  EMAIL_ATTEMPT_LEASE_MS,
  EMAIL_EVENT_TYPES,
  EmailEvent,
  EmailKind,
  EmailRefs,
  evolveAgreement,
  ExistingAgreement,
  idOfStream,
  initialAgreementState,
  isAddressed,
  PartnersNotified,
  TeamMemberAdded,
  TeamMemberRemoved,
  UserEvent,
} from '@accord/domain';
import { type RecordedEvent, uuidv5 } from '@accord/event-store';
import type { Projection, ReadDb } from '../projection';
import { isWellFormedAgreementEvent } from './agreements.event-shape';
import { agreementIdOf } from './agreements.projection';
import { breachIdOf } from './breaches.projection';
import { forgetStatements, sql } from '../statement-cache';
import type { InboxItemKind } from './inbox.records';

export const INBOX_TABLES = [
  'inbox_users',
  'inbox_agreements',
  'inbox_documents',
  'inbox_items',
  'email_outbox',
  'inbox_team_members',
  'inbox_team_documents',
] as const;

export type { InboxItemKind } from './inbox.records';

/** One email per cause and recipient: every node and every rebuild derives the same id (and Message-ID). */
export function emailNotificationIdFor(cause: string, userId: string): string {
  return uuidv5(`email:${cause}:${userId}`);
}

const USER_TYPES = ['UserEnrolled', 'UserSuspended', 'UserReinstated'] as const;
const DOCUMENT_TYPES = [
  'DocumentShared',
  'DocumentAccessed',
  'PayloadDestroyed',
  'DocumentErased',
  'DocumentSuperseded',
  'DocumentRevoked',
] as const;
const TEAM_MEMBER_TYPES = ['TeamMemberAdded', 'TeamMemberRemoved'] as const;

type InboxEvent =
  | UserEvent
  | AgreementEvent
  | DocumentEvent
  | PartnersNotified
  | EmailEvent
  | TeamMemberAdded
  | TeamMemberRemoved;

/**
 * Each user's inbox and the email outbox (docs/architecture.md §27). It folds what addressing needs (users,
 * their organisation, role and suspension; agreements for their parties and title) into its own tables, so it
 * rebuilds alone, like `notifications`. A share is addressed when it happens, by the domain's
 * addresseesOfShare(): a user enrolled later finds older documents in `/documents`, not in the inbox. Notices
 * about a document (destroyed, erased, superseded, revoked) go to the users it was addressed to.
 *
 * `email_outbox` holds one row per email to send, with its state from its `email-{id}` stream; the dispatcher
 * reads it, and decides on the event store. Review reminders and the ICO 24-hour warning fall due with the
 * clock, so they enter the outbox through their own claim (EmailAttempted), not from here.
 */
export const inboxProjection: Projection = {
  name: 'inbox',
  // 2: revocations and team-addressed shares (issue 13, docs/architecture.md §24, §25). 3: an erased
  // document's title blanked, and no destroyed notice after an erasure's or a revocation's, so a read model
  // built before forgets the titles and the second notices it kept (§11, §27). 4: need-to-know held here
  // (`inbox_items.addressed`, from team membership), no longer filtered per entry at read time (§27).
  version: 4,
  handles: [
    ...USER_TYPES,
    ...TEAM_MEMBER_TYPES,
    ...AGREEMENT_EVENT_TYPES,
    'PartnersNotified',
    ...DOCUMENT_TYPES,
    ...EMAIL_EVENT_TYPES,
  ],
  // The page and the dispatcher's due list; apply reads users by organisation, items by document (kept).
  queryIndexes: ['inbox_items_page', 'email_outbox_due'],
  migrate(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS inbox_users (
        user_id TEXT PRIMARY KEY, org_id TEXT NOT NULL, role TEXT NOT NULL, suspended INTEGER NOT NULL) STRICT;
      CREATE INDEX IF NOT EXISTS inbox_users_by_org ON inbox_users (org_id);
      CREATE TABLE IF NOT EXISTS inbox_agreements (agreement_id TEXT PRIMARY KEY, state TEXT NOT NULL) STRICT;
      CREATE TABLE IF NOT EXISTS inbox_documents (
        document_id TEXT PRIMARY KEY, agreement_id TEXT NOT NULL, agreement_version INTEGER NOT NULL,
        sender_org TEXT NOT NULL, shared_by TEXT, title TEXT NOT NULL, purpose TEXT NOT NULL,
        nature TEXT NOT NULL, shared_at TEXT NOT NULL, addressees TEXT NOT NULL, recipient_teams TEXT) STRICT;
      CREATE TABLE IF NOT EXISTS inbox_items (
        id TEXT PRIMARY KEY, user_id TEXT NOT NULL, kind TEXT NOT NULL, document_id TEXT NOT NULL,
        occurred_at TEXT NOT NULL, position INTEGER NOT NULL, unread INTEGER NOT NULL, read_at TEXT,
        detail TEXT, addressed INTEGER NOT NULL) STRICT;
      CREATE INDEX IF NOT EXISTS inbox_items_page ON inbox_items (user_id, addressed, unread, position);
      CREATE INDEX IF NOT EXISTS inbox_items_by_document ON inbox_items (document_id, user_id);
      CREATE TABLE IF NOT EXISTS email_outbox (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, user_id TEXT NOT NULL, refs TEXT NOT NULL,
        created_at TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL, due_at TEXT,
        message_id TEXT, last_error TEXT) STRICT;
      CREATE INDEX IF NOT EXISTS email_outbox_due ON email_outbox (due_at) WHERE due_at IS NOT NULL;
      CREATE TABLE IF NOT EXISTS inbox_team_members (
        team_id TEXT NOT NULL, user_id TEXT NOT NULL, PRIMARY KEY (team_id, user_id)) STRICT;
      CREATE INDEX IF NOT EXISTS inbox_team_members_by_user ON inbox_team_members (user_id);
      CREATE TABLE IF NOT EXISTS inbox_team_documents (
        team_id TEXT NOT NULL, document_id TEXT NOT NULL, PRIMARY KEY (team_id, document_id)) STRICT;
    `);
  },
  reset(db) {
    forgetStatements(db);
    for (const table of INBOX_TABLES) db.exec(`DROP TABLE IF EXISTS ${table}`);
  },
  apply(recorded: RecordedEvent, db: ReadDb) {
    if (
      (AGREEMENT_EVENT_TYPES as readonly string[]).includes(recorded.type) &&
      !isWellFormedAgreementEvent(recorded.type, recorded.data)
    )
      return;
    // The log is the storage contract, but a malformed event must not stall every read model behind this one.
    if (!isWellFormed(recorded)) return;
    const event = { type: recorded.type, data: recorded.data } as InboxEvent;
    switch (event.type) {
      case 'UserEnrolled':
        sql(
          db,
          `INSERT INTO inbox_users (user_id, org_id, role, suspended) VALUES (?, ?, ?, 0)
           ON CONFLICT (user_id) DO NOTHING`,
        ).run(idOfStream('user', recorded.streamId), event.data.orgId, event.data.role);
        return;
      case 'UserSuspended':
      case 'UserReinstated':
        sql(db, `UPDATE inbox_users SET suspended = ? WHERE user_id = ?`).run(
          event.type === 'UserSuspended' ? 1 : 0,
          idOfStream('user', recorded.streamId),
        );
        return;
      case 'AccessAgreementAccepted':
      case 'ApiTokenIssued':
      case 'ApiTokenRevoked':
        return;
      case 'TeamMemberAdded':
        sql(db, `INSERT INTO inbox_team_members (team_id, user_id) VALUES (?, ?) ON CONFLICT DO NOTHING`).run(
          event.data.teamId,
          event.data.userId,
        );
        return readdress(db, event.data.userId, event.data.teamId);
      case 'TeamMemberRemoved':
        sql(db, `DELETE FROM inbox_team_members WHERE team_id = ? AND user_id = ?`).run(
          event.data.teamId,
          event.data.userId,
        );
        return readdress(db, event.data.userId, event.data.teamId);
      case 'TrainingRecorded':
      case 'ActionRefused':
        return;
      case 'AgreementDrafted':
      case 'AgreementImported':
      case 'AgreementAmended':
      case 'AgreementSigned':
      case 'AgreementActivated':
      case 'AgreementReviewed':
      case 'AgreementSuspended':
      case 'AgreementReinstated':
      case 'AgreementTerminated':
      case 'PartyWithdrawn':
        return agreementChanged(recorded, event, db);
      case 'PartnersNotified': {
        const refs: EmailRefs = {
          breachId: breachIdOf(recorded.streamId),
          ...(event.data.agreementId !== undefined ? { agreementId: event.data.agreementId } : {}),
        };
        queueEmails(db, recorded, 'breach-reported', igLeadsOf(db, event.data.orgIds), refs);
        return;
      }
      case 'DocumentShared':
        return documentShared(recorded, event.data, db);
      case 'DocumentAccessed':
        return documentOpened(recorded, db);
      case 'PayloadDestroyed':
        // An erasure or a revocation destroys the payload next: its addressees were told already, once.
        if (toldOfEnd(db, idOfStream('document', recorded.streamId))) return;
        return noticeToAddressees(recorded, db, 'document-destroyed', 'document-destroyed');
      case 'DocumentErased':
        // Erasure (UK GDPR Art 17) drops the title, which may name the person, as the documents list does.
        sql(db, `UPDATE inbox_documents SET title = '' WHERE document_id = ?`).run(
          idOfStream('document', recorded.streamId),
        );
        return noticeToAddressees(recorded, db, 'document-erased', 'document-destroyed');
      case 'DocumentSuperseded':
        return noticeToAddressees(
          recorded,
          db,
          'document-superseded',
          'document-superseded',
          event.data.supersededBy,
        );
      // The reason is free text and stays out of the inbox and the email (docs/architecture.md §19.3).
      case 'DocumentRevoked':
        return noticeToAddressees(recorded, db, 'document-revoked', 'document-revoked');
      case 'AccessDenied':
      case 'TransferBlocked':
      case 'LegalHoldPlaced':
      case 'LegalHoldReleased':
      case 'ProcessingRestricted':
      case 'RestrictionLifted':
      case 'RetentionExpired':
      case 'OrphanPayloadDeleted':
        return;
      case 'EmailAttempted':
      case 'EmailSent':
      case 'EmailFailed':
      case 'EmailAbandoned':
        return emailProgress(recorded, event, db);
      default:
        return assertNever(event, 'inbox event');
    }
  },
};

function agreementChanged(recorded: RecordedEvent, change: AgreementEvent, db: ReadDb): void {
  const agreementId = agreementIdOf(recorded.streamId);
  const before = loadAgreement(db, agreementId);
  const after = evolveAgreement(before, change);
  if (after.status === 'none') return;
  sql(
    db,
    `INSERT INTO inbox_agreements (agreement_id, state) VALUES (?, ?)
     ON CONFLICT (agreement_id) DO UPDATE SET state = excluded.state`,
  ).run(agreementId, JSON.stringify(after));
  const refs: EmailRefs = { agreementId };
  switch (change.type) {
    case 'AgreementDrafted':
    case 'AgreementAmended':
      // A version awaiting signatures: each party's IG leads are asked to sign it.
      return queueEmails(
        db,
        recorded,
        'signature-requested',
        igLeadsOf(db, currentTerms(after).parties),
        refs,
      );
    case 'AgreementActivated':
      return queueEmails(
        db,
        recorded,
        'agreement-activated',
        igLeadsOf(db, (after.activeTerms ?? currentTerms(after)).parties),
        refs,
      );
    case 'AgreementTerminated':
      return queueEmails(db, recorded, 'agreement-terminated', igLeadsOf(db, allParties(after)), refs);
    case 'AgreementSigned':
    case 'AgreementReviewed':
    case 'AgreementSuspended':
    case 'AgreementReinstated':
    case 'AgreementImported':
    case 'PartyWithdrawn':
      // An import brings history already signed on paper, and a withdrawal is a party's own act: neither
      // asks anyone to sign or act (docs/architecture.md §28); the register and notifications show both.
      return;
    default:
      return assertNever(change, 'agreement event');
  }
}

function documentShared(
  recorded: RecordedEvent,
  share: Extract<DocumentEvent, { type: 'DocumentShared' }>['data'],
  db: ReadDb,
): void {
  const documentId = idOfStream('document', recorded.streamId);
  // Only the recipient organisations' users can be addressed: read those, not the whole directory.
  const byOrg = sql(
    db,
    `SELECT user_id AS userId, org_id AS orgId, role, suspended FROM inbox_users WHERE org_id = ?`,
  );
  const users = [...new Set(share.recipients)].flatMap(
    (orgId) => byOrg.all(orgId) as { userId: string; orgId: string; role: string; suspended: number }[],
  );
  const addressees = addresseesOfShare(
    {
      recipients: share.recipients,
      ...(share.recipientTeams ? { recipientTeams: share.recipientTeams } : {}),
    },
    users.map((u) => ({
      ...u,
      suspended: u.suspended === 1,
      teams: share.recipientTeams?.[u.orgId] ? teamsOfMember(db, u.userId) : [],
    })),
  );
  const actor = recorded.meta.actor;
  sql(
    db,
    `INSERT INTO inbox_documents (document_id, agreement_id, agreement_version, sender_org, shared_by, title,
       purpose, nature, shared_at, addressees, recipient_teams)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?) ON CONFLICT (document_id) DO NOTHING`,
  ).run(
    documentId,
    share.agreementId,
    share.agreementVersion,
    share.senderOrg,
    'userId' in actor ? actor.userId : null,
    share.title,
    share.purpose,
    share.nature,
    share.sharedAt,
    JSON.stringify(addressees),
    share.recipientTeams ? JSON.stringify(share.recipientTeams) : null,
  );
  // Which documents a membership change may re-address, found by team: a rebuild has no index by user yet.
  const byTeam = sql(
    db,
    `INSERT INTO inbox_team_documents (team_id, document_id) VALUES (?, ?) ON CONFLICT DO NOTHING`,
  );
  for (const teamId of new Set(Object.values(share.recipientTeams ?? {}).flat()))
    byTeam.run(teamId, documentId);
  // addresseesOfShare kept only the members of the addressed teams: each is addressed now.
  addItems(db, recorded, documentId, 'document-shared', addressees, () => true);
  queueEmails(db, recorded, 'document-received', addressees, {
    documentId,
    agreementId: share.agreementId,
  });
}

/** A successful open by a user marks what their inbox says about that document as read. */
function documentOpened(recorded: RecordedEvent, db: ReadDb): void {
  const actor = recorded.meta.actor;
  if (!('userId' in actor)) return;
  sql(
    db,
    `UPDATE inbox_items SET unread = 0, read_at = ? WHERE document_id = ? AND user_id = ? AND unread = 1`,
  ).run(recorded.meta.occurredAt, idOfStream('document', recorded.streamId), actor.userId);
}

/** The document's addressees have a notice of its erasure or revocation (the end a destruction follows). */
function toldOfEnd(db: ReadDb, documentId: string): boolean {
  return (
    sql(
      db,
      `SELECT 1 FROM inbox_items WHERE document_id = ? AND kind IN ('document-erased', 'document-revoked') LIMIT 1`,
    ).get(documentId) !== undefined
  );
}

function noticeToAddressees(
  recorded: RecordedEvent,
  db: ReadDb,
  kind: InboxItemKind,
  emailKind: EmailKind,
  detail?: string,
): void {
  const documentId = idOfStream('document', recorded.streamId);
  const doc = sql(
    db,
    `SELECT agreement_id AS agreementId, addressees, sender_org AS senderOrg, recipient_teams AS recipientTeams
     FROM inbox_documents WHERE document_id = ?`,
  ).get(documentId) as (Addressing & { agreementId: string; addressees: string }) | undefined;
  if (!doc) return;
  const addressees = JSON.parse(doc.addressees) as string[];
  // An addressee since removed from the addressed teams gets the notice hidden, as the share's entry is, and
  // no email about it: need-to-know holds in both places (§27.4).
  const now = new Set(addressees.filter((userId) => addressedNow(db, doc, userId)));
  addItems(db, recorded, documentId, kind, addressees, (userId) => now.has(userId), detail);
  queueEmails(db, recorded, emailKind, [...now], { documentId, agreementId: doc.agreementId });
}

function addItems(
  db: ReadDb,
  recorded: RecordedEvent,
  documentId: string,
  kind: InboxItemKind,
  userIds: readonly string[],
  addressed: (userId: string) => boolean,
  detail?: string,
): void {
  const insert = sql(
    db,
    `INSERT INTO inbox_items (id, user_id, kind, document_id, occurred_at, position, unread, read_at, detail,
       addressed)
     VALUES (?, ?, ?, ?, ?, ?, 1, NULL, ?, ?) ON CONFLICT (id) DO NOTHING`,
  );
  for (const userId of userIds)
    insert.run(
      `${recorded.eventId}:${userId}`,
      userId,
      kind,
      documentId,
      recorded.meta.occurredAt,
      recorded.position,
      detail ?? null,
      addressed(userId) ? 1 : 0,
    );
}

/** What of an inbox document decides need-to-know: its sender and, per recipient organisation, its teams. */
interface Addressing {
  senderOrg: string;
  /** DocumentShared.recipientTeams as JSON; null when the share named none (every addressee keeps it). */
  recipientTeams: string | null;
}

/**
 * Whether `userId` may still read the document's metadata: the domain's isAddressed, given the teams this
 * projection folded, so the inbox lists exactly what GET /documents lists that user (docs/architecture.md §24).
 */
function addressedNow(db: ReadDb, doc: Addressing, userId: string): boolean {
  if (doc.recipientTeams === null) return true;
  const user = addressable(db, userId);
  return user !== undefined && isAddressedBy(doc, user);
}

type Addressable = { orgId: string; teams: string[] };

function addressable(db: ReadDb, userId: string): Addressable | undefined {
  const user = sql(db, `SELECT org_id AS orgId FROM inbox_users WHERE user_id = ?`).get(userId) as
    { orgId: string } | undefined;
  return user && { orgId: user.orgId, teams: teamsOfMember(db, userId) };
}

const isAddressedBy = (doc: Addressing, user: Addressable): boolean =>
  doc.recipientTeams === null ||
  isAddressed(
    { senderOrg: doc.senderOrg, recipientTeams: JSON.parse(doc.recipientTeams) as Record<string, string[]> },
    user,
  );

const teamsOfMember = (db: ReadDb, userId: string): string[] =>
  (
    sql(db, `SELECT team_id AS teamId FROM inbox_team_members WHERE user_id = ?`).all(userId) as {
      teamId: string;
    }[]
  ).map((t) => t.teamId);

/**
 * A user joined or left `teamId`: their entries of the documents addressed to that team are shown or hidden
 * again by the same rule, with their read state kept, so a member re-added finds them as they left them. Only
 * the entries the user already had: a new member finds older documents in GET /documents, not the inbox. The
 * documents are found by team and the entries by document, on indexes a rebuild keeps while it loads.
 */
function readdress(db: ReadDb, userId: string, teamId: string): void {
  const user = addressable(db, userId);
  if (user === undefined) return;
  const docs = sql(
    db,
    `SELECT d.document_id AS documentId, d.sender_org AS senderOrg, d.recipient_teams AS recipientTeams
     FROM inbox_team_documents t JOIN inbox_documents d ON d.document_id = t.document_id WHERE t.team_id = ?`,
  ).all(teamId) as (Addressing & { documentId: string })[];
  const update = sql(
    db,
    `UPDATE inbox_items SET addressed = ? WHERE document_id = ? AND user_id = ? AND addressed <> ?`,
  );
  for (const doc of docs) {
    const addressed = isAddressedBy(doc, user) ? 1 : 0;
    update.run(addressed, doc.documentId, userId, addressed);
  }
}

function queueEmails(
  db: ReadDb,
  recorded: RecordedEvent,
  kind: EmailKind,
  userIds: readonly string[],
  refs: EmailRefs,
): void {
  const insert = sql(
    db,
    `INSERT INTO email_outbox (id, kind, user_id, refs, created_at, status, attempts, due_at)
     VALUES (?, ?, ?, ?, ?, 'pending', 0, ?) ON CONFLICT (id) DO NOTHING`,
  );
  for (const userId of new Set(userIds))
    insert.run(
      emailNotificationIdFor(recorded.eventId, userId),
      kind,
      userId,
      JSON.stringify(refs),
      recorded.meta.occurredAt,
      recorded.meta.occurredAt,
    );
}

function emailProgress(recorded: RecordedEvent, event: EmailEvent, db: ReadDb): void {
  const id = idOfStream('email', recorded.streamId);
  switch (event.type) {
    case 'EmailAttempted': {
      const d = event.data;
      const due = new Date(Date.parse(d.attemptedAt) + EMAIL_ATTEMPT_LEASE_MS).toISOString();
      // A reminder's first claim is also its outbox row.
      sql(
        db,
        `INSERT INTO email_outbox (id, kind, user_id, refs, created_at, status, attempts, due_at)
         VALUES (?, ?, ?, ?, ?, 'attempting', ?, ?)
         ON CONFLICT (id) DO UPDATE SET status = 'attempting', attempts = excluded.attempts, due_at = excluded.due_at`,
      ).run(id, d.kind, d.recipientUserId, JSON.stringify(d.refs), d.attemptedAt, d.attempt, due);
      return;
    }
    case 'EmailSent':
      sql(db, `UPDATE email_outbox SET status = 'sent', due_at = NULL, message_id = ? WHERE id = ?`).run(
        event.data.messageId,
        id,
      );
      return;
    case 'EmailFailed': {
      const next = event.data.nextAttemptAt;
      const error = event.data.code !== undefined ? `smtp-${event.data.code}` : (event.data.error ?? null);
      sql(db, `UPDATE email_outbox SET status = ?, due_at = ?, last_error = ? WHERE id = ?`).run(
        next === undefined ? 'abandoned' : 'failed',
        next ?? null,
        error,
        id,
      );
      return;
    }
    case 'EmailAbandoned':
      sql(db, `UPDATE email_outbox SET status = 'abandoned', due_at = NULL WHERE id = ?`).run(id);
      return;
    default:
      return assertNever(event, 'email event');
  }
}

/** The IG leads (not suspended) of the organisations named: who hears about agreements and breaches. */
export function igLeadsOf(db: ReadDb, orgIds: readonly string[]): string[] {
  const select = sql(
    db,
    `SELECT user_id AS userId FROM inbox_users WHERE org_id = ? AND role = 'ig-lead' AND suspended = 0 ORDER BY user_id`,
  );
  return [...new Set(orgIds)].flatMap((orgId) =>
    (select.all(orgId) as { userId: string }[]).map((r) => r.userId),
  );
}

function allParties(state: ExistingAgreement): string[] {
  return [...new Set([...(state.activeTerms?.parties ?? []), ...currentTerms(state).parties])];
}

export function loadInboxAgreement(db: ReadDb, agreementId: string): AgreementState {
  const row = sql(db, `SELECT state FROM inbox_agreements WHERE agreement_id = ?`).get(agreementId) as
    { state: string } | undefined;
  return row ? (JSON.parse(row.state) as ExistingAgreement) : initialAgreementState();
}
const loadAgreement = loadInboxAgreement;

const text = (v: unknown): boolean => typeof v === 'string';
const texts = (v: unknown): boolean => Array.isArray(v) && v.every((x) => typeof x === 'string');

/** The fields this projection relies on, checked as the notifications projection checks its own. */
function isWellFormed(recorded: RecordedEvent): boolean {
  const d = recorded.data as Record<string, unknown>;
  switch (recorded.type) {
    case 'UserEnrolled':
      return text(d['orgId']) && text(d['role']);
    case 'PartnersNotified':
      return texts(d['orgIds']);
    case 'DocumentShared':
      return texts(d['recipients']) && text(d['agreementId']) && text(d['title']) && text(d['nature']);
    case 'DocumentSuperseded':
      return text(d['supersededBy']);
    case 'TeamMemberAdded':
    case 'TeamMemberRemoved':
      return text(d['teamId']) && text(d['userId']);
    case 'EmailAttempted':
      return text(d['kind']) && text(d['recipientUserId']) && typeof d['refs'] === 'object';
    default:
      return true;
  }
}

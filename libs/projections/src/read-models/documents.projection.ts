import { idOfStream } from '@accord/domain';
import type { JsonObject, JsonValue, RecordedEvent } from '@accord/event-store';
import type { Projection, ReadDb } from '../projection';
import { forgetStatements, sql } from '../statement-cache';

/** Every table this read model owns, for reset and for rebuild-equality tests. */
export const DOCUMENT_TABLES = [
  'documents',
  'document_recipients',
  'document_subjects',
  'document_recipient_teams',
] as const;

const HANDLES = [
  'DocumentShared',
  'LegalHoldPlaced',
  'LegalHoldReleased',
  'ProcessingRestricted',
  'RestrictionLifted',
  'RetentionExpired',
  'PayloadDestroyed',
  'DocumentErased',
  'DocumentSuperseded',
  'DocumentRevoked',
] as const;

type Handled = (typeof HANDLES)[number];

/** Per-organisation states, counted: how many organisations hold (`legal_hold`) or restrict the document. */
const COUNTED = {
  LegalHoldPlaced: ['legal_hold', '+ 1'],
  LegalHoldReleased: ['legal_hold', '- 1'],
  ProcessingRestricted: ['restricted', '+ 1'],
  RestrictionLifted: ['restricted', '- 1'],
} as const satisfies Partial<Record<Handled, readonly [string, '+ 1' | '- 1']>>;

/** The flag each other lifecycle event sets (1) or clears (0). */
const FLAGS: Record<
  Exclude<Handled, 'DocumentShared' | 'DocumentSuperseded' | keyof typeof COUNTED>,
  [column: string, value: 0 | 1]
> = {
  RetentionExpired: ['retention_expired', 1],
  PayloadDestroyed: ['payload_destroyed', 1],
  DocumentErased: ['erased', 1],
  DocumentRevoked: ['revoked', 1],
};

/**
 * Documents' metadata (never content), who sent and received each, the subject references, and the flags
 * that decide what may still happen (held, restricted, expired, destroyed, erased). Streams with refusals
 * only (a refused share) have no row: there is no document. Accesses and denials belong to the audit read
 * models. On erasure the title and subject references go, so the read side holds no personal data about
 * a subject who exercised the right to erasure; the events keep the history. A rectification links the two
 * documents by id only (superseded_by on the old one, supersedes on the corrected one): ids are not
 * personal data, so the links survive an erasure of either.
 */
export const documentsProjection: Projection = {
  name: 'documents',
  // 3: revocation and the teams a share was addressed to (docs/architecture.md §24, §25). 4: legal holds and
  // restrictions counted per organisation (`legal_hold`, `restricted` hold how many), where they were flags:
  // a read.db written as flags is rebuilt once, so a count never starts from a flag that stood for two.
  version: 4,
  handles: HANDLES,
  // apply finds rows by their primary keys only; these serve the lists and the retention sweep.
  queryIndexes: [
    'documents_by_agreement',
    'documents_by_sender',
    'documents_by_object',
    'documents_by_retention',
    'document_recipients_by_org',
    'document_subjects_by_ref',
  ],
  migrate(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS documents (
        id TEXT PRIMARY KEY, agreement_id TEXT NOT NULL, agreement_version INTEGER NOT NULL,
        sender_org TEXT NOT NULL, shared_by TEXT, purpose TEXT NOT NULL, nature TEXT NOT NULL, title TEXT NOT NULL,
        data_categories TEXT NOT NULL, object_key TEXT NOT NULL, size INTEGER NOT NULL, sha256 TEXT NOT NULL,
        recipient_fingerprints TEXT NOT NULL, storage_region TEXT NOT NULL, mode TEXT NOT NULL,
        shared_at TEXT NOT NULL, retain_until TEXT NOT NULL, legal_hold INTEGER NOT NULL DEFAULT 0,
        restricted INTEGER NOT NULL DEFAULT 0, retention_expired INTEGER NOT NULL DEFAULT 0,
        payload_destroyed INTEGER NOT NULL DEFAULT 0, erased INTEGER NOT NULL DEFAULT 0,
        superseded_by TEXT, supersedes TEXT, updated_at TEXT NOT NULL, position INTEGER NOT NULL,
        revoked INTEGER NOT NULL DEFAULT 0) STRICT;
      CREATE INDEX IF NOT EXISTS documents_by_agreement ON documents (agreement_id, shared_at);
      CREATE INDEX IF NOT EXISTS documents_by_sender ON documents (sender_org, shared_at);
      CREATE INDEX IF NOT EXISTS documents_by_object ON documents (object_key);
      CREATE INDEX IF NOT EXISTS documents_by_retention ON documents (retain_until) WHERE payload_destroyed = 0;
      CREATE TABLE IF NOT EXISTS document_recipients (
        document_id TEXT NOT NULL, org_id TEXT NOT NULL, PRIMARY KEY (document_id, org_id)) STRICT;
      CREATE INDEX IF NOT EXISTS document_recipients_by_org ON document_recipients (org_id, document_id);
      CREATE TABLE IF NOT EXISTS document_subjects (
        document_id TEXT NOT NULL, subject_ref TEXT NOT NULL, PRIMARY KEY (document_id, subject_ref)) STRICT;
      CREATE INDEX IF NOT EXISTS document_subjects_by_ref ON document_subjects (subject_ref, document_id);
      CREATE TABLE IF NOT EXISTS document_recipient_teams (
        document_id TEXT NOT NULL, org_id TEXT NOT NULL, team_id TEXT NOT NULL,
        PRIMARY KEY (document_id, org_id, team_id)) STRICT;
    `);
  },
  reset(db) {
    forgetStatements(db);
    for (const table of DOCUMENT_TABLES) db.exec(`DROP TABLE IF EXISTS ${table}`);
  },
  apply(event: RecordedEvent, db: ReadDb) {
    const id = idOfStream('document', event.streamId);
    const at = event.meta.occurredAt;
    const type = event.type as Handled;
    if (type === 'DocumentShared') {
      if (isWellFormedShare(event.data)) insertDocument(db, id, event, at);
      return;
    }
    if (type === 'DocumentSuperseded') {
      supersede(db, id, event.data['supersededBy'], at);
      return;
    }
    if (type in COUNTED) {
      // How many organisations hold or restrict it (the domain's holdsBy, restrictedBy): one
      // organisation's release or lift ends its own, not another's.
      const [column, change] = COUNTED[type as keyof typeof COUNTED];
      sql(
        db,
        `UPDATE documents SET ${column} = MAX(${column} ${change}, 0), updated_at = ? WHERE id = ?`,
      ).run(at, id);
      return;
    }
    const flag = FLAGS[type as keyof typeof FLAGS];
    if (!flag) return;
    sql(db, `UPDATE documents SET ${flag[0]} = ?, updated_at = ? WHERE id = ?`).run(flag[1], at, id);
    if (type === 'DocumentErased') {
      sql(db, `UPDATE documents SET title = '' WHERE id = ?`).run(id);
      sql(db, `DELETE FROM document_subjects WHERE document_id = ?`).run(id);
    }
  },
};

/**
 * A rectification is refused unless the corrected document was already shared (its DocumentShared comes
 * earlier in the log), so its row exists when this runs. A document corrected twice over (A by B, then C
 * by B) names the latest it supersedes.
 */
function supersede(db: ReadDb, id: string, supersededBy: JsonValue | undefined, at: string): void {
  if (typeof supersededBy !== 'string') return; // hand-appended and malformed: skip, as for shares
  sql(db, `UPDATE documents SET superseded_by = ?, updated_at = ? WHERE id = ?`).run(supersededBy, at, id);
  sql(db, `UPDATE documents SET supersedes = ?, updated_at = ? WHERE id = ?`).run(id, at, supersededBy);
}

function insertDocument(db: ReadDb, id: string, event: RecordedEvent, at: string): void {
  const d = event.data as unknown as Record<string, JsonValue> & {
    recipients: string[];
    subjectRefs: string[];
  };
  const actor = event.meta.actor as { userId?: unknown };
  const inserted = sql(
    db,
    `INSERT INTO documents (id, agreement_id, agreement_version, sender_org, shared_by, purpose, nature, title,
       data_categories, object_key, size, sha256, recipient_fingerprints, storage_region, mode, shared_at,
       retain_until, updated_at, position)
     VALUES (@id, @agreementId, @agreementVersion, @senderOrg, @sharedBy, @purpose, @nature, @title,
       @dataCategories, @objectKey, @size, @sha256, @recipientFingerprints, @storageRegion, @mode, @sharedAt,
       @retainUntil, @at, @position)
     ON CONFLICT (id) DO NOTHING`,
  ).run({
    id,
    agreementId: d['agreementId'],
    agreementVersion: d['agreementVersion'],
    senderOrg: d['senderOrg'],
    sharedBy: typeof actor.userId === 'string' ? actor.userId : null,
    purpose: d['purpose'],
    nature: d['nature'],
    title: d['title'],
    dataCategories: JSON.stringify(d['dataCategories']),
    objectKey: d['objectKey'],
    size: d['size'],
    sha256: d['sha256'],
    recipientFingerprints: JSON.stringify(d['recipientFingerprints']),
    storageRegion: d['storageRegion'],
    mode: d['mode'],
    sharedAt: d['sharedAt'],
    retainUntil: d['retainUntil'],
    at,
    position: event.position,
  });
  if (inserted.changes === 0) return;
  const recipient = sql(
    db,
    `INSERT INTO document_recipients (document_id, org_id) VALUES (?, ?) ON CONFLICT DO NOTHING`,
  );
  for (const orgId of d.recipients) recipient.run(id, orgId);
  const subject = sql(
    db,
    `INSERT INTO document_subjects (document_id, subject_ref) VALUES (?, ?) ON CONFLICT DO NOTHING`,
  );
  for (const ref of d.subjectRefs) subject.run(id, ref);
  const teams = event.data['recipientTeams'];
  if (teams && typeof teams === 'object' && !Array.isArray(teams)) {
    const team = sql(
      db,
      `INSERT INTO document_recipient_teams (document_id, org_id, team_id) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
    );
    for (const [orgId, ids] of Object.entries(teams)) {
      if (Array.isArray(ids))
        for (const teamId of ids) if (typeof teamId === 'string') team.run(id, orgId, teamId);
    }
  }
}

const TEXT_FIELDS = [
  'agreementId',
  'senderOrg',
  'purpose',
  'nature',
  'title',
  'objectKey',
  'sha256',
  'storageRegion',
  'mode',
  'sharedAt',
  'retainUntil',
];
const LIST_FIELDS = ['recipients', 'dataCategories', 'subjectRefs', 'recipientFingerprints'];

/**
 * The decider only writes well-formed shares; one appended by hand that is not is skipped rather than
 * thrown on, because a throwing batch is retried forever and holds every other read model behind it.
 */
function isWellFormedShare(d: JsonObject): boolean {
  return (
    TEXT_FIELDS.every((f) => typeof d[f] === 'string') &&
    LIST_FIELDS.every(
      (f) => Array.isArray(d[f]) && (d[f] as JsonValue[]).every((v) => typeof v === 'string'),
    ) &&
    Number.isInteger(d['agreementVersion']) &&
    Number.isInteger(d['size'])
  );
}

/** Prepared once per connection and statement: preparing per event would dominate a long replay. */

import type { ReadDb } from '../projection';
import { sql } from '../statement-cache';

export type DocumentLifecycleState = 'active' | 'held' | 'restricted' | 'destroyed' | 'erased' | 'revoked';

/** One shared document's metadata as the read model holds it (never content). */
export interface DocumentRecord {
  id: string;
  agreementId: string;
  agreementVersion: number;
  senderOrg: string;
  sharedBy: string | null;
  recipients: string[];
  purpose: string;
  nature: string;
  title: string;
  dataCategories: string[];
  subjectRefs: string[];
  objectKey: string;
  size: number;
  sha256: string;
  recipientFingerprints: string[];
  storageRegion: string;
  mode: string;
  sharedAt: string;
  retainUntil: string;
  legalHold: boolean;
  restricted: boolean;
  retentionExpired: boolean;
  payloadDestroyed: boolean;
  erased: boolean;
  /** The corrected document that replaced this one (a rectification, UK GDPR Art 16), if any. */
  supersededBy: string | null;
  /** On a corrected document: the one it replaced. */
  supersedes: string | null;
  /** Taken back by the sender (docs/architecture.md §25). */
  revoked: boolean;
  /** Per recipient organisation, the teams it was addressed to; an organisation absent: all of it. */
  recipientTeams: Record<string, string[]>;
  /** The one word a list shows; the flags above say the rest. */
  state: DocumentLifecycleState;
}

export interface DocumentFilter {
  /** Only documents this organisation sent or received. */
  orgId: string;
  agreementId?: string;
  subjectRef?: string;
  limit?: number;
}

interface DocumentRow {
  id: string;
  agreementId: string;
  agreementVersion: number;
  senderOrg: string;
  sharedBy: string | null;
  purpose: string;
  nature: string;
  title: string;
  dataCategories: string;
  objectKey: string;
  size: number;
  sha256: string;
  recipientFingerprints: string;
  storageRegion: string;
  mode: string;
  sharedAt: string;
  retainUntil: string;
  legalHold: number;
  restricted: number;
  retentionExpired: number;
  payloadDestroyed: number;
  erased: number;
  supersededBy: string | null;
  supersedes: string | null;
  revoked: number;
}

const COLUMNS = `d.id, d.agreement_id AS agreementId, d.agreement_version AS agreementVersion,
  d.sender_org AS senderOrg, d.shared_by AS sharedBy, d.purpose, d.nature, d.title,
  d.data_categories AS dataCategories, d.object_key AS objectKey, d.size, d.sha256,
  d.recipient_fingerprints AS recipientFingerprints, d.storage_region AS storageRegion, d.mode,
  d.shared_at AS sharedAt, d.retain_until AS retainUntil, d.legal_hold AS legalHold, d.restricted,
  d.retention_expired AS retentionExpired, d.payload_destroyed AS payloadDestroyed, d.erased,
  d.superseded_by AS supersededBy, d.supersedes, d.revoked`;

export const DEFAULT_DOCUMENT_LIST_LIMIT = 500;

export function findDocument(db: ReadDb, id: string): DocumentRecord | undefined {
  const row = sql(db, `SELECT ${COLUMNS} FROM documents d WHERE d.id = ?`).get(id) as DocumentRow | undefined;
  return row ? record(db, row) : undefined;
}

/** Did `orgId` send or receive the document: the visibility rule for its metadata. */
export function isDocumentParty(
  record: Pick<DocumentRecord, 'senderOrg' | 'recipients'>,
  orgId: string,
): boolean {
  return record.senderOrg === orgId || record.recipients.includes(orgId);
}

/** Those of `ids` that exist and `orgId` sent or received (isDocumentParty), in the order given. */
export function partyDocumentIds(db: ReadDb, orgId: string, ids: readonly string[]): string[] {
  return ids.filter((id) => {
    const record = findDocument(db, id);
    return record !== undefined && isDocumentParty(record, orgId);
  });
}

/** Newest first (the log's order breaks ties of the same instant): what an inbox shows. */
export function listDocumentRecords(db: ReadDb, filter: DocumentFilter): DocumentRecord[] {
  const where = [
    `(d.sender_org = @orgId OR EXISTS (SELECT 1 FROM document_recipients r
    WHERE r.document_id = d.id AND r.org_id = @orgId))`,
  ];
  if (filter.agreementId !== undefined) where.push('d.agreement_id = @agreementId');
  if (filter.subjectRef !== undefined)
    where.push(
      'EXISTS (SELECT 1 FROM document_subjects s WHERE s.document_id = d.id AND s.subject_ref = @subjectRef)',
    );
  const rows = sql(
    db,
    `SELECT ${COLUMNS} FROM documents d WHERE ${where.join(' AND ')} ORDER BY d.shared_at DESC, d.position DESC LIMIT @limit`,
  ).all({
    orgId: filter.orgId,
    agreementId: filter.agreementId ?? null,
    subjectRef: filter.subjectRef ?? null,
    limit: filter.limit ?? DEFAULT_DOCUMENT_LIST_LIMIT,
  }) as DocumentRow[];
  return rows.map((r) => record(db, r));
}

/** The document a stored object belongs to, if a DocumentShared for it has been projected. */
export function documentIdForObject(db: ReadDb, objectKey: string): string | undefined {
  return sql(db, `SELECT id FROM documents WHERE object_key = ?`).pluck().get(objectKey) as
    string | undefined;
}

function record(db: ReadDb, row: DocumentRow): DocumentRecord {
  const recipients = sql(db, `SELECT org_id FROM document_recipients WHERE document_id = ? ORDER BY rowid`)
    .pluck()
    .all(row.id) as string[];
  const subjectRefs = sql(
    db,
    `SELECT subject_ref FROM document_subjects WHERE document_id = ? ORDER BY rowid`,
  )
    .pluck()
    .all(row.id) as string[];
  const flags = {
    legalHold: row.legalHold > 0,
    restricted: row.restricted > 0,
    retentionExpired: row.retentionExpired === 1,
    payloadDestroyed: row.payloadDestroyed === 1,
    erased: row.erased === 1,
    revoked: row.revoked === 1,
  };
  const recipientTeams: Record<string, string[]> = {};
  const teamRows = sql(
    db,
    `SELECT org_id AS orgId, team_id AS teamId FROM document_recipient_teams WHERE document_id = ? ORDER BY rowid`,
  ).all(row.id) as { orgId: string; teamId: string }[];
  for (const t of teamRows) (recipientTeams[t.orgId] ??= []).push(t.teamId);
  return {
    ...row,
    ...flags,
    recipients,
    recipientTeams,
    subjectRefs,
    dataCategories: JSON.parse(row.dataCategories) as string[],
    recipientFingerprints: JSON.parse(row.recipientFingerprints) as string[],
    state: flags.erased
      ? 'erased'
      : flags.revoked
        ? 'revoked'
        : flags.payloadDestroyed
          ? 'destroyed'
          : flags.restricted
            ? 'restricted'
            : flags.legalHold
              ? 'held'
              : 'active',
  };
}

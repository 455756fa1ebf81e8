import type { AgreementTerms, ExistingAgreement } from '@accord/domain';
import type { ReadDb } from '../projection';
import { sql } from '../statement-cache';

/** One agreement as the read model holds it. `status` is what events alone tell (see agreementStatusAt). */
export interface AgreementRecord {
  id: string;
  title: string;
  tier: number;
  parentId: string | null;
  category: string;
  leadOrg: string;
  status: 'draft' | 'active' | 'suspended';
  version: number;
  activeVersion: number | null;
  nextReviewDue: string | null;
  terminationEffectiveAt: string | null;
  draftedAt: string;
  updatedAt: string;
  /** The domain's folded state, for the domain's own status, overdue and reminder functions. */
  state: ExistingAgreement;
}

export interface AgreementVersionRecord {
  version: number;
  reasonForChange: string | null;
  createdAt: string;
  activatedAt: string | null;
  terms: AgreementTerms;
}

export interface AgreementSignatureRecord {
  version: number;
  orgId: string;
  signatory: string;
  position: string;
  signedAt: string;
}

interface AgreementRow extends Omit<AgreementRecord, 'state' | 'status'> {
  status: string;
  state: string;
}

/** Every query names the agreements table `a`. */
const COLUMNS = `a.id, a.title, a.tier, a.parent_id AS parentId, a.category, a.lead_org AS leadOrg, a.status,
  a.version, a.active_version AS activeVersion, a.next_review_due AS nextReviewDue,
  a.termination_effective_at AS terminationEffectiveAt, a.drafted_at AS draftedAt, a.updated_at AS updatedAt,
  a.state`;

export function findAgreement(db: ReadDb, id: string): AgreementRecord | undefined {
  const row = sql(db, `SELECT ${COLUMNS} FROM agreements a WHERE a.id = ?`).get(id) as
    AgreementRow | undefined;
  return row ? record(row) : undefined;
}

/** Oldest first, so a list reads in the order the partnership drafted its agreements. */
export function listAgreementRecords(db: ReadDb, filter: { party?: string } = {}): AgreementRecord[] {
  const rows =
    filter.party === undefined
      ? sql(db, `SELECT ${COLUMNS} FROM agreements a ORDER BY a.drafted_at, a.id`).all()
      : sql(
          db,
          `SELECT ${COLUMNS} FROM agreements a JOIN agreement_parties p ON p.agreement_id = a.id
           WHERE p.org_id = ? ORDER BY a.drafted_at, a.id`,
        ).all(filter.party);
  return (rows as AgreementRow[]).map(record);
}

/** Agreements that may be in force: activated once and not suspended (termination is checked against "now"). */
export function activeAgreementRecords(db: ReadDb): AgreementRecord[] {
  const rows = sql(
    db,
    `SELECT ${COLUMNS} FROM agreements a WHERE a.status = 'active' AND a.active_version IS NOT NULL
     ORDER BY a.category, a.title, a.id`,
  ).all() as AgreementRow[];
  return rows.map(record);
}

export function agreementVersions(db: ReadDb, id: string): AgreementVersionRecord[] {
  const rows = sql(
    db,
    `SELECT version, reason_for_change AS reasonForChange, created_at AS createdAt, activated_at AS activatedAt, terms
     FROM agreement_versions WHERE agreement_id = ? ORDER BY version`,
  ).all(id) as (Omit<AgreementVersionRecord, 'terms'> & { terms: string })[];
  return rows.map((r) => ({ ...r, terms: JSON.parse(r.terms) as AgreementTerms }));
}

/** In signing order: rows are inserted in the log's order, so rowid follows it on every rebuild too. */
export function agreementSignatures(db: ReadDb, id: string): AgreementSignatureRecord[] {
  return sql(
    db,
    `SELECT version, org_id AS orgId, signatory, position, signed_at AS signedAt
     FROM agreement_signatures WHERE agreement_id = ? ORDER BY version, signed_at, rowid`,
  ).all(id) as AgreementSignatureRecord[];
}

/** Was `orgId` a party to any version of the agreement: a party removed by amendment keeps its history. */
export function isAgreementParty(db: ReadDb, agreementId: string, orgId: string): boolean {
  return (
    sql(db, `SELECT 1 FROM agreement_parties WHERE agreement_id = ? AND org_id = ?`).get(
      agreementId,
      orgId,
    ) !== undefined
  );
}

/** Tier-2 agreements drafted under `parentId`. */
export function childAgreementIds(db: ReadDb, parentId: string): string[] {
  return sql(db, `SELECT id FROM agreements WHERE parent_id = ? ORDER BY id`)
    .pluck()
    .all(parentId) as string[];
}

function record(row: AgreementRow): AgreementRecord {
  return {
    ...row,
    status: row.status as AgreementRecord['status'],
    state: JSON.parse(row.state) as ExistingAgreement,
  };
}

/** The api's shapes the app reads (docs/openapi.json is the source; only the fields used are listed). */

/** The inbox entry is the read model's own type: its module imports nothing, so only the type comes in. */
import type { InboxItemRecord } from '../../../libs/projections/src/read-models/inbox.records';

export type InboxItem = InboxItemRecord;

export interface InboxList {
  items: InboxItem[];
  unread: number;
  nextAfter: string | null;
}

export interface DocumentMeta {
  id: string;
  agreementId: string;
  agreementVersion: number;
  senderOrg: string;
  sharedBy: string | null;
  recipients: string[];
  purpose: string;
  dataCategories: string[];
  nature: string;
  title: string;
  subjectCount: number;
  size: number;
  sha256: string;
  recipientFingerprints: string[];
  mode: string;
  sharedAt: string;
  retainUntil: string;
  state: string;
  payloadDestroyed: boolean;
  supersededBy: string | null;
  supersedes: string | null;
  revoked: boolean;
  revokedAt?: string | null;
  recipientTeams: Record<string, string[]>;
}

export interface OrganisationKey {
  fingerprint: string;
  publicKey: string;
  status: string;
  algorithm: string;
  addedAt: string;
  expiresAt: string | null;
  revokedAt: string | null;
}

export interface AgreementSummary {
  id: string;
  title: string;
  status: string;
  activeVersion: number | null;
  category: string;
}

export interface AgreementTerms {
  title: string;
  parties: string[];
  purposes: string[];
  dataCategories: string[];
  lawfulBases: string[];
  retentionPeriod: string;
  requirePurposeConfirmation?: boolean;
  /** Tier 2: for each purpose not word for word the parent's, the parent purpose it narrows. */
  purposeNarrows?: Record<string, string>;
}

export interface AgreementDetail {
  id: string;
  status: string;
  activeVersion: number | null;
  title: string;
  parties: { id: string; name: string }[];
  /** The terms in force (null before the first activation). */
  terms: AgreementTerms | null;
  /** Parties that gave notice: from `effectiveAt` they neither send nor receive under it. */
  withdrawals: { orgId: string; effectiveAt: string }[];
}

export interface Team {
  id: string;
  name: string;
  default: boolean;
  members?: string[];
}

export interface Organisation {
  id: string;
  name: string;
}

export interface Me {
  user: { id: string; name: string; role: string; orgId: string | null };
  organisation: { id: string; name: string } | null;
  accessAgreement: { accepted: boolean; currentVersion: number; title: string; terms: string[] };
}

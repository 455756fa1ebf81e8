/**
 * The parts of the api's answers the IG pages read (docs/openapi.json is the full contract; these mirror
 * its schemas by name so a reader can find them there).
 */

/** The webhook shapes are the read model's own: their module imports nothing, so only the types come in. */
import type {
  WebhookDeliveryRecord,
  WebhookEndpoint,
} from '../../../../../libs/projections/src/read-models/webhooks.records';

/** SubjectAccessReportDto: the shape the api builds, from its import-free module. */
export type { SubjectAccessReport } from '../../../../../libs/domain/src/subject-request/subject-access-report';

export interface OrganisationRef {
  id: string;
  name: string | null;
}

export interface Organisation {
  id: string;
  name: string;
  kind: string;
  jurisdiction: string;
}

export interface AgreementTerms {
  title: string;
  purposes: string[];
  tier: number;
  parentId?: string;
  category: string;
  leadOrg: string;
  parties: string[];
  lawfulBases: string[];
  dataCategories: string[];
  retentionPeriod: string;
  reviewIntervalMonths: number;
  requirePurposeConfirmation?: boolean;
  noticePeriodDays?: number;
}

/** AgreementSummaryDto */
export interface AgreementSummary {
  id: string;
  version: number;
  status: 'draft' | 'active' | 'suspended' | 'terminated';
  activeVersion: number | null;
  pendingVersion: number | null;
  reviewOverdue: boolean;
  nextReviewDue: string | null;
  terminationEffectiveAt: string | null;
  title: string;
  category: string;
  tier: number;
  parentId: string | null;
  leadOrganisation: OrganisationRef;
}

export interface AgreementSignature {
  orgId: string;
  signatory: string;
  position: string;
  signedAt: string;
  signedOn: string | null;
}

export interface AgreementVersion {
  version: number;
  versionLabel: string | null;
  state: 'active' | 'pending' | 'superseded';
  reasonForChange: string | null;
  createdAt: string;
  activatedAt: string | null;
  terms: AgreementTerms;
  signatures: AgreementSignature[];
  awaitingSignatureFrom: string[];
}

/** AgreementDetailDto */
export interface AgreementDetail extends AgreementSummary {
  terms: AgreementTerms;
  parties: OrganisationRef[];
  firstActivatedAt: string | null;
  lastReviewedAt: string | null;
  suspension: { reason: string } | null;
  termination: { noticeServedBy: string; effectiveAt: string } | null;
  withdrawals: { orgId: string; effectiveAt: string }[];
  versions: AgreementVersion[];
}

export interface Team {
  id: string;
  name: string;
  members?: string[];
  default: boolean;
}

export interface User {
  id: string;
  orgId: string | null;
  name: string;
  email: string;
  role: string;
  status: 'active' | 'suspended';
}

export interface OrganisationKey {
  fingerprint: string;
  algorithm: string;
  bits: number | null;
  expiresAt: string | null;
  status: 'active' | 'expired' | 'revoked';
  addedAt: string;
  revokedAt: string | null;
}

export type IcoStatus = 'awaiting-assessment' | 'not-reportable' | 'due' | 'overdue' | 'notified';

/** BreachSummaryDto */
export interface BreachSummary {
  id: string;
  status: 'reported' | 'assessed' | 'closed';
  reportedBy: string;
  reportedAt: string;
  discoveredAt: string;
  severity: 'low' | 'medium' | 'high';
  nearMiss: boolean;
  agreementId: string | null;
  icoReportable: boolean | null;
  icoDeadline: string;
  secondsLeft: number;
  icoStatus: IcoStatus;
  overdue: boolean;
}

/** BreachDetailDto */
export interface BreachDetail extends BreachSummary {
  description: string;
  documentIds: string[];
  dataCategories: string[];
  approxSubjects: number;
  notifiedOrgs: string[];
  rationale: string | null;
  icoReference: string | null;
  icoNotifiedAt: string | null;
  subjectsNotifiedAt: string | null;
  outcome: string | null;
  lessons: string | null;
  closedAt: string | null;
  containment: { action: string; orgId: string; target: string; reason: string; at: string }[];
}

/** SubjectRequestViewDto */
export interface SubjectRequest {
  id: string;
  kind: 'access' | 'restriction' | 'lift-restriction' | 'erasure' | 'rectification';
  status: 'received' | 'completed';
  outcome: string;
  orgId: string;
  reason: string;
  receivedAt: string;
  completedAt: string | null;
  documentIds: string[];
  erasure: {
    erased: string[];
    kept: { documentId: string; agreementId: string; exemption: string }[];
    refusal: string | null;
  } | null;
  rectification: { supersededId: string; correctedId: string } | null;
  report: string | null;
  redirectTo: string[];
}

/** IncidentDto */
export interface Incident {
  id: string;
  kind: string;
  severity: string;
  status: 'open' | 'promoted' | 'dismissed';
  summary: string;
  detectedAt: string;
  userId: string;
  orgId: string;
  orgIds: string[];
  documentIds: string[];
  evidence: string[];
  breachId: string | null;
  dismissal: string | null;
}

export type Webhook = WebhookEndpoint;

/** WebhookDeliveryDto: the read model's record less its organisation and the body it POSTs. */
export type WebhookDelivery = Omit<WebhookDeliveryRecord, 'orgId' | 'payload'>;

export interface ItemList<T> {
  items: T[];
}

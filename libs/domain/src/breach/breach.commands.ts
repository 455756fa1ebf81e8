import { Command } from '../shared/decider';

/**
 * `parties` are the parties of `agreementId`, loaded by the handler (undefined when the agreement does not
 * exist); `knownDocumentIds`, those of `documentIds` that exist and `orgId` sent or received, likewise: the
 * decider never loads anything itself. `orgId` is the acting user's organisation.
 */
export type ReportBreach = Command<
  'ReportBreach',
  {
    orgId: string;
    agreementId?: string;
    parties?: readonly string[];
    documentIds?: readonly string[];
    knownDocumentIds?: readonly string[];
    discoveredAt: string;
    description: string;
    nearMiss: boolean;
    severity: string;
    dataCategories?: readonly string[];
    approxSubjects?: number;
  }
>;
export type AssessBreach = Command<
  'AssessBreach',
  { orgId: string; icoReportable: boolean; rationale: string }
>;
export type RecordIcoNotification = Command<
  'RecordIcoNotification',
  { orgId: string; reference: string; notifiedAt?: string }
>;
export type RecordSubjectNotification = Command<
  'RecordSubjectNotification',
  { orgId: string; notifiedAt?: string }
>;
export type CloseBreach = Command<'CloseBreach', { orgId: string; outcome: string; lessons: string }>;

export const CONTAINMENT_ACTIONS = ['user-suspended', 'key-revoked'] as const;
export type ContainmentAction = (typeof CONTAINMENT_ACTIONS)[number];

/**
 * Records a containment the handler has already carried out (the suspension or key revocation runs through
 * its own aggregate first): `userId` for `user-suspended`, `fingerprint` for `key-revoked`, both of `orgId`.
 */
export type RecordContainmentAction = Command<
  'RecordContainmentAction',
  { orgId: string; action: ContainmentAction; userId?: string; fingerprint?: string; reason: string }
>;

export type BreachCommand =
  | ReportBreach
  | AssessBreach
  | RecordIcoNotification
  | RecordSubjectNotification
  | CloseBreach
  | RecordContainmentAction;

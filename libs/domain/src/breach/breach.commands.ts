import { Command } from '../shared/decider';

/**
 * `parties` are the parties of `agreementId`, loaded by the handler (undefined when the agreement does not
 * exist); the decider never loads anything itself. `orgId` is the acting user's organisation.
 */
export type ReportBreach = Command<
  'ReportBreach',
  {
    orgId: string;
    agreementId?: string;
    parties?: readonly string[];
    documentIds?: readonly string[];
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

export type BreachCommand =
  ReportBreach | AssessBreach | RecordIcoNotification | RecordSubjectNotification | CloseBreach;

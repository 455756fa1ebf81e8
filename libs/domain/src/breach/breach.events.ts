import { Event } from '../shared/decider';

export const BREACH_SEVERITIES = ['low', 'medium', 'high'] as const;
export type BreachSeverity = (typeof BREACH_SEVERITIES)[number];

/** Stream `breach-{id}`. All instants are ISO-8601 UTC strings. */
export type BreachReported = Event<
  'BreachReported',
  {
    reportedBy: string;
    reportedAt: string;
    agreementId?: string;
    documentIds: string[];
    discoveredAt: string;
    description: string;
    nearMiss: boolean;
    severity: BreachSeverity;
    dataCategories: string[];
    approxSubjects: number;
  }
>;

/** Appended with the report: the IG leads of every party hear of it at once (no personal data travels). */
export type PartnersNotified = Event<
  'PartnersNotified',
  { orgIds: string[]; reportedBy: string; severity: BreachSeverity; nearMiss: boolean; agreementId?: string }
>;

export type BreachAssessed = Event<
  'BreachAssessed',
  { icoReportable: boolean; rationale: string; assessedAt: string; icoDeadline: string }
>;
export type IcoNotified = Event<'IcoNotified', { reference: string; notifiedAt: string }>;
/** UK GDPR Art 34: people told directly when the breach is likely to put them at high risk. */
export type DataSubjectsNotified = Event<'DataSubjectsNotified', { notifiedAt: string }>;
export type BreachClosed = Event<'BreachClosed', { outcome: string; lessons: string; closedAt: string }>;

/**
 * An IG lead of an involved organisation contained their own organisation from the breach page: the
 * suspension (`userId`) or key revocation (`fingerprint`) is already on that user's or organisation's stream.
 */
export type ContainmentActionRecorded = Event<
  'ContainmentActionRecorded',
  {
    action: 'user-suspended' | 'key-revoked';
    orgId: string;
    userId?: string;
    fingerprint?: string;
    reason: string;
    recordedAt: string;
  }
>;

export type BreachEvent =
  | BreachReported
  | PartnersNotified
  | BreachAssessed
  | IcoNotified
  | DataSubjectsNotified
  | BreachClosed
  | ContainmentActionRecorded;

export const BREACH_EVENT_TYPES: readonly BreachEvent['type'][] = [
  'BreachReported',
  'PartnersNotified',
  'BreachAssessed',
  'IcoNotified',
  'DataSubjectsNotified',
  'BreachClosed',
  'ContainmentActionRecorded',
];

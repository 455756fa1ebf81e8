import { Event } from '../shared/decider';

/** The detection rules (docs/architecture.md §12). Each id is a storage contract, like an event type. */
export const INCIDENT_RULES = [
  'denials-burst',
  'non-uk-access',
  'open-destroyed-or-restricted',
  'ex-party-download',
  'unusual-volume',
  /** Raised by retention, not the detector: the object store could not confirm a payload's destruction. */
  'destruction-unconfirmed',
] as const;
export type IncidentRule = (typeof INCIDENT_RULES)[number];

export const INCIDENT_SEVERITIES = ['low', 'medium', 'high'] as const;
export type IncidentSeverity = (typeof INCIDENT_SEVERITIES)[number];

/**
 * Stream `incident-{id}`, raised by the platform itself (`actor: { system: "detector" }`). The id derives from
 * the rule and its evidence, so a replay or a second node raising the same incident appends nothing twice.
 * `summary` is written by the rule from counts and codes only: never a name, a title or document content.
 */
export type SecurityIncidentDetected = Event<
  'SecurityIncidentDetected',
  {
    kind: IncidentRule;
    severity: IncidentSeverity;
    summary: string;
    /** The user whose actions the rule matched, and their organisation. */
    userId: string;
    orgId: string;
    /** Every organisation involved: the user's and the sender and recipients of each document concerned. */
    orgIds: string[];
    documentIds: string[];
    /** The ids of the events that fired the rule, oldest first. */
    evidence: string[];
    /** When the last evidence event occurred: detection runs on event time, never on a clock. */
    detectedAt: string;
  }
>;

/** An IG lead of an involved organisation reported the incident as a breach (or near miss). */
export type IncidentPromoted = Event<'IncidentPromoted', { breachId: string; orgId: string }>;

/** An IG lead of an involved organisation judged the incident benign. */
export type IncidentDismissed = Event<'IncidentDismissed', { reason: string; orgId: string }>;

export type IncidentEvent = SecurityIncidentDetected | IncidentPromoted | IncidentDismissed;

export const INCIDENT_EVENT_TYPES = [
  'SecurityIncidentDetected',
  'IncidentPromoted',
  'IncidentDismissed',
] as const satisfies readonly IncidentEvent['type'][];

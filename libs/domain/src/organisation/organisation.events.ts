import { Event } from '../shared/decider';
import { Jurisdiction } from '../vocabularies/jurisdictions';
import { OrganisationKind } from '../vocabularies/organisation-kinds';

/** Stream `organisation-{id}`. The id is the stream's, so it is not repeated in the data. */
export type OrganisationRegistered = Event<
  'OrganisationRegistered',
  {
    name: string;
    kind: OrganisationKind;
    jurisdiction: Jurisdiction;
    /** Null only for a non-UK organisation, which the ICO does not register. */
    icoRegistration: string | null;
  }
>;

/** The key was parsed and checked outside the domain (libs/crypto); these are the facts it established. */
export type OrganisationKeyAdded = Event<
  'OrganisationKeyAdded',
  {
    /** Lower-case hex: 40 digits for a v4 key, 64 for v6. */
    fingerprint: string;
    /** ASCII-armored public key, as uploaded. */
    publicKey: string;
    algorithm: string;
    bits?: number;
    expiresAt?: string;
  }
>;

export type OrganisationKeyRevoked = Event<'OrganisationKeyRevoked', { fingerprint: string; reason: string }>;

/**
 * Breach notices are POSTed to `url` (issue 7), signed with a secret derived from the platform secret and
 * `secretId`: the secret itself is shown once to whoever configured it and is never stored. Configuring
 * again (even the same URL) draws a new secretId, which rotates the secret.
 */
export type WebhookConfigured = Event<'WebhookConfigured', { url: string; secretId: string }>;

export type WebhookRemoved = Event<'WebhookRemoved', { url: string }>;

/**
 * Someone tried to obtain a token for a user of this organisation that they may not hold or hand out
 * (issue 12: the platform admin may enrol only an organisation's first IG lead). `userId` is the user a
 * token was asked for (absent for a refused enrolment), `role` the role asked for.
 */
export type TokenIssueRefused = Event<
  'TokenIssueRefused',
  { reason: string; userId?: string; role?: string }
>;

/**
 * Teams (issue 13, docs/architecture.md §24): an authorisation boundary inside the organisation, enforced by
 * the platform. A team holds no key of its own: the payload stays encrypted to the organisation's keys.
 * `teamId` is drawn by the caller (a UUID); names are unique within the organisation, case aside.
 */
export type TeamCreated = Event<'TeamCreated', { teamId: string; name: string }>;
/** `userId` is a user of this organisation (checked by the handler against the user's own stream). */
export type TeamMemberAdded = Event<'TeamMemberAdded', { teamId: string; userId: string }>;
export type TeamMemberRemoved = Event<'TeamMemberRemoved', { teamId: string; userId: string }>;
/**
 * The team that receives a share addressed to the organisation without naming teams; `teamId` null: none,
 * every practitioner and IG lead of the organisation receives it (as before teams existed).
 */
export type DefaultReceivingTeamSet = Event<'DefaultReceivingTeamSet', { teamId: string | null }>;

export type TeamEvent = TeamCreated | TeamMemberAdded | TeamMemberRemoved | DefaultReceivingTeamSet;

export const TEAM_EVENT_TYPES = [
  'TeamCreated',
  'TeamMemberAdded',
  'TeamMemberRemoved',
  'DefaultReceivingTeamSet',
] as const satisfies readonly TeamEvent['type'][];

export type OrganisationEvent =
  | OrganisationRegistered
  | OrganisationKeyAdded
  | OrganisationKeyRevoked
  | WebhookConfigured
  | WebhookRemoved
  | TokenIssueRefused
  | TeamEvent;

import { assertNever } from '../errors';
import { isUk, Jurisdiction } from '../vocabularies/jurisdictions';
import { OrganisationKind } from '../vocabularies/organisation-kinds';
import { OrganisationEvent } from './organisation.events';
import { evolveTeams, noTeams, OrganisationTeams } from './teams';

export interface OrganisationKey {
  fingerprint: string;
  publicKey: string;
  algorithm: string;
  bits?: number;
  expiresAt?: string;
  /** Revocation keeps the key in history (old shares were encrypted to it) but it never serves a new share. */
  revoked: { reason: string } | null;
}

export type OrganisationState =
  | { status: 'none' }
  | {
      status: 'registered';
      name: string;
      kind: OrganisationKind;
      jurisdiction: Jurisdiction;
      icoRegistration: string | null;
      keys: Record<string, OrganisationKey>;
      /** Where breach notices are POSTed, and which secret signs them; null when none is configured. */
      webhook?: { url: string; secretId: string } | null;
      /** Absent until the organisation's first team event (docs/architecture.md §24). */
      teams?: OrganisationTeams;
    };

export const initialOrganisationState = (): OrganisationState => ({ status: 'none' });

export function evolveOrganisation(state: OrganisationState, event: OrganisationEvent): OrganisationState {
  switch (event.type) {
    case 'OrganisationRegistered':
      return { status: 'registered', ...event.data, keys: {} };
    case 'OrganisationKeyAdded': {
      if (state.status !== 'registered') return state;
      const key: OrganisationKey = { ...event.data, revoked: null };
      return { ...state, keys: { ...state.keys, [key.fingerprint]: key } };
    }
    case 'OrganisationKeyRevoked': {
      const key = state.status === 'registered' ? state.keys[event.data.fingerprint] : undefined;
      if (state.status !== 'registered' || !key) return state;
      const revoked = { ...key, revoked: { reason: event.data.reason } };
      return { ...state, keys: { ...state.keys, [key.fingerprint]: revoked } };
    }
    case 'WebhookConfigured':
      if (state.status !== 'registered') return state;
      return { ...state, webhook: { url: event.data.url, secretId: event.data.secretId } };
    case 'WebhookRemoved':
      if (state.status !== 'registered') return state;
      return { ...state, webhook: null };
    case 'TokenIssueRefused':
      return state;
    case 'TeamCreated':
    case 'TeamMemberAdded':
    case 'TeamMemberRemoved':
    case 'DefaultReceivingTeamSet':
      if (state.status !== 'registered') return state;
      return { ...state, teams: evolveTeams(state.teams ?? noTeams(), event) };
    default:
      return assertNever(event, 'organisation event');
  }
}

/** Keys a new share may be encrypted to: not revoked and not expired at `now`. */
export function activeKeys(state: OrganisationState, now: Date): OrganisationKey[] {
  if (state.status !== 'registered') return [];
  return Object.values(state.keys).filter(
    (k) => k.revoked === null && (k.expiresAt === undefined || Date.parse(k.expiresAt) > now.getTime()),
  );
}

/** A non-UK organisation can be a party but never a recipient (docs/architecture.md §9.4). */
export function canReceiveDocuments(state: OrganisationState): boolean {
  return state.status === 'registered' && isUk(state.jurisdiction);
}

/** The organisation's teams and default receiving team (none of either when it has never made one). */
export function teamsOf(state: OrganisationState): OrganisationTeams {
  return state.status === 'registered' ? (state.teams ?? noTeams()) : noTeams();
}

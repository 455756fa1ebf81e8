import { assertNever, DomainErrorCode } from '../errors';
import { Role } from '../vocabularies/roles';
import { ACCESS_AGREEMENT_VERSION } from './access-agreement';
import { UserEvent } from './user.events';

export interface ApiTokenRecord {
  tokenHash: string;
  revoked: boolean;
}

export type UserState =
  | { status: 'none' }
  | {
      status: 'active' | 'suspended';
      orgId: string;
      name: string;
      email: string;
      role: Role;
      acceptedAccessAgreementVersion: number | null;
      tokens: Record<string, ApiTokenRecord>;
      /** The latest data-protection training completed (`YYYY-MM-DD`), if any is recorded. */
      trainedOn?: string;
    };

export type EnrolledUser = Exclude<UserState, { status: 'none' }>;

export const initialUserState = (): UserState => ({ status: 'none' });

export function evolveUser(state: UserState, event: UserEvent): UserState {
  if (event.type === 'UserEnrolled') {
    return { status: 'active', ...event.data, acceptedAccessAgreementVersion: null, tokens: {} };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'AccessAgreementAccepted':
      return { ...state, acceptedAccessAgreementVersion: event.data.version };
    case 'UserSuspended':
      return { ...state, status: 'suspended' };
    case 'TrainingRecorded': {
      const { completedOn } = event.data;
      return state.trainedOn && state.trainedOn >= completedOn ? state : { ...state, trainedOn: completedOn };
    }
    case 'UserReinstated':
      return { ...state, status: 'active' };
    case 'ActionRefused':
      return state;
    case 'ApiTokenIssued':
      return {
        ...state,
        tokens: {
          ...state.tokens,
          [event.data.tokenId]: { tokenHash: event.data.tokenHash, revoked: false },
        },
      };
    case 'ApiTokenRevoked': {
      const token = state.tokens[event.data.tokenId];
      if (!token) return state;
      return { ...state, tokens: { ...state.tokens, [event.data.tokenId]: { ...token, revoked: true } } };
    }
    default:
      return assertNever(event, 'user event');
  }
}

export function activeTokenIds(state: UserState): string[] {
  if (state.status === 'none') return [];
  return Object.entries(state.tokens)
    .filter(([, t]) => !t.revoked)
    .map(([id]) => id);
}

export function isTokenActive(state: UserState, tokenId: string): boolean {
  return state.status === 'active' && state.tokens[tokenId]?.revoked === false;
}

export function hasAcceptedCurrentAccessAgreement(state: UserState): boolean {
  return state.status !== 'none' && state.acceptedAccessAgreementVersion === ACCESS_AGREEMENT_VERSION;
}

/** The gate before any document or audit call; the reason is a DomainErrorCode the edge can throw as is. */
export type UserAccess =
  | { allowed: true }
  | {
      allowed: false;
      reason: Extract<
        DomainErrorCode,
        'user.not-found' | 'user.suspended' | 'user.access-agreement-not-accepted'
      >;
    };

export function userAccess(state: UserState): UserAccess {
  if (state.status === 'none') return { allowed: false, reason: 'user.not-found' };
  if (state.status === 'suspended') return { allowed: false, reason: 'user.suspended' };
  if (!hasAcceptedCurrentAccessAgreement(state))
    return { allowed: false, reason: 'user.access-agreement-not-accepted' };
  return { allowed: true };
}

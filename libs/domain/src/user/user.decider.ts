import { assertNever, fail } from '../errors';
import { Decider } from '../shared/decider';
import { hasInvisibleCharacters, nonBlank } from '../shared/text';
import { parseDateOnly, startOfUtcDay } from '../shared/time';
import { isRole } from '../vocabularies/roles';
import { ACCESS_AGREEMENT_VERSION } from './access-agreement';
import { TokenRecordInput, UserCommand } from './user.commands';
import { ApiTokenIssued, UserEnrolled, UserEvent } from './user.events';
import { EnrolledUser, evolveUser, initialUserState, UserState } from './user.state';

/** Deliberately plain: the edge cannot prove an address exists, only that it has the shape of one. */
const EMAIL = /^[^\s@]+@[^\s@.]+(?:\.[^\s@.]+)+$/;
const TOKEN_HASH = /^[0-9a-f]{64}$/;
const TOKEN_ID = /^[A-Za-z0-9_-]{1,64}$/;
export const MAX_USER_NAME_LENGTH = 200;
export const MAX_EMAIL_LENGTH = 254;

export function decideUser(command: UserCommand, state: UserState): UserEvent[] {
  switch (command.type) {
    case 'EnrolUser':
      return enrol(command.data, state);
    case 'AcceptAccessAgreement': {
      const user = active(state);
      if (command.data.version !== ACCESS_AGREEMENT_VERSION) {
        throw fail(
          'user.access-agreement-version-unknown',
          `the current version is ${ACCESS_AGREEMENT_VERSION}`,
          {
            currentVersion: ACCESS_AGREEMENT_VERSION,
          },
        );
      }
      // Accepting again is a retry, not a new fact.
      if (user.acceptedAccessAgreementVersion === ACCESS_AGREEMENT_VERSION) return [];
      return [{ type: 'AccessAgreementAccepted', data: { version: ACCESS_AGREEMENT_VERSION } }];
    }
    case 'SuspendUser': {
      // A state conflict, as reinstating an active user is: 403 user.suspended would read as the caller's own.
      const user = enrolled(state);
      if (user.status === 'suspended') throw fail('user.already-suspended');
      const reason = requireReason(command.data.reason);
      // Revoking every token with the suspension means a later reinstatement never revives a token that may
      // have leaked while the user was out: the holder is issued a fresh one.
      const revocations: UserEvent[] = Object.entries(user.tokens)
        .filter(([, t]) => !t.revoked)
        .map(([tokenId]) => ({ type: 'ApiTokenRevoked', data: { tokenId } }));
      return [{ type: 'UserSuspended', data: { reason } }, ...revocations];
    }
    case 'ReinstateUser': {
      const user = enrolled(state);
      if (user.status !== 'suspended') throw fail('user.not-suspended');
      return [{ type: 'UserReinstated', data: { reason: requireReason(command.data.reason) } }];
    }
    case 'IssueApiToken':
      return [issueToken(command.data, active(state))];
    case 'RecordTraining': {
      enrolled(state);
      const course = nonBlank(command.data.course)?.replace(/\s+/g, ' ');
      if (!course || course.length > 200)
        throw fail('user.training-invalid', 'a course name of 1 to 200 characters');
      const raw = typeof command.data.completedOn === 'string' ? command.data.completedOn.trim() : '';
      const date = parseDateOnly(raw);
      if (!date || date.getTime() > startOfUtcDay(command.metadata.now).getTime()) {
        throw fail('user.training-invalid', 'completedOn is a date, YYYY-MM-DD, not after today');
      }
      const completedOn = date.toISOString().slice(0, 10);
      return [
        { type: 'TrainingRecorded', data: { course, completedOn, recordedBy: command.data.recordedBy } },
      ];
    }
    case 'RecordRefusal': {
      // Recorded whatever the user's status: the refusal happened (a suspended user never gets this far).
      enrolled(state);
      const { route, reason, resourceId, orgIds } = command.data;
      return [
        {
          type: 'ActionRefused',
          data: {
            route,
            reason,
            ...(resourceId === undefined ? {} : { resourceId }),
            ...(orgIds === undefined || orgIds.length === 0 ? {} : { orgIds }),
          },
        },
      ];
    }
    case 'RevokeApiToken': {
      const user = enrolled(state);
      const token = user.tokens[command.data.tokenId];
      if (!token) throw fail('user.token-not-found');
      if (token.revoked) throw fail('user.token-already-revoked');
      return [{ type: 'ApiTokenRevoked', data: { tokenId: command.data.tokenId } }];
    }
    default:
      return assertNever(command, 'user command');
  }
}

function enrolled(state: UserState): EnrolledUser {
  if (state.status === 'none') throw fail('user.not-found');
  return state;
}

function active(state: UserState): EnrolledUser {
  const user = enrolled(state);
  if (user.status === 'suspended') throw fail('user.suspended');
  return user;
}

function requireReason(value: unknown): string {
  const reason = nonBlank(value);
  if (!reason) throw fail('user.reason-required');
  return reason;
}

function enrol(data: Extract<UserCommand, { type: 'EnrolUser' }>['data'], state: UserState): UserEvent[] {
  if (state.status !== 'none') throw fail('user.already-enrolled');
  const orgId = nonBlank(data.orgId);
  if (!orgId) throw fail('user.organisation-required');
  const name = nonBlank(data.name)?.replace(/\s+/g, ' ');
  if (!name || name.length > MAX_USER_NAME_LENGTH) {
    throw fail('user.name-required', `a name of 1 to ${MAX_USER_NAME_LENGTH} characters is required`);
  }
  // No invisible character, which would make a second address that reads as the first.
  const email = normalisedEmail(data.email);
  if (!email || email.length > MAX_EMAIL_LENGTH || !EMAIL.test(email) || hasInvisibleCharacters(email)) {
    throw fail('user.email-invalid', 'the email address does not have a valid shape');
  }
  if (!isRole(data.role))
    throw fail('user.role-invalid', 'role must be admin, ig-lead, practitioner or auditor');
  const enrolledEvent: UserEnrolled = { type: 'UserEnrolled', data: { orgId, name, email, role: data.role } };
  if (!data.token) return [enrolledEvent];
  const user = evolveUser(state, enrolledEvent) as EnrolledUser;
  return [enrolledEvent, issueToken(data.token, user)];
}

function issueToken(input: TokenRecordInput, user: EnrolledUser): ApiTokenIssued {
  if (typeof input.tokenId !== 'string' || !TOKEN_ID.test(input.tokenId)) {
    throw fail('user.token-invalid', 'tokenId must be 1 to 64 letters, digits, "-" or "_"');
  }
  if (typeof input.tokenHash !== 'string' || !TOKEN_HASH.test(input.tokenHash)) {
    throw fail('user.token-invalid', 'tokenHash must be a lower-case hex SHA-256 digest');
  }
  if (user.tokens[input.tokenId]) throw fail('user.token-already-issued');
  return { type: 'ApiTokenIssued', data: { tokenId: input.tokenId, tokenHash: input.tokenHash } };
}

export const userDecider: Decider<UserState, UserCommand, UserEvent> = {
  decide: decideUser,
  evolve: evolveUser,
  initialState: initialUserState,
};

/**
 * An address as a user holds it: trimmed and lower-cased whole, so one person cannot be enrolled twice under
 * two spellings of one address. Enrolment stores it so, and the email claim and the directory look it up so.
 */
export function normalisedEmail(value: unknown): string | undefined {
  return nonBlank(value)?.toLowerCase();
}

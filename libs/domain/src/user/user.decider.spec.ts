import { deciderSpec } from '../testing/decider-spec';
import { ACCESS_AGREEMENT, ACCESS_AGREEMENT_VERSION } from './access-agreement';
import { UserCommand } from './user.commands';
import { userDecider } from './user.decider';
import { ApiTokenIssued, UserEnrolled, UserEvent } from './user.events';
import { isTokenActive, userAccess } from './user.state';

const spec = deciderSpec(userDecider);
const metadata = { now: new Date('2024-05-01T09:00:00.000Z') };
const HASH = 'ab'.repeat(32);

const enrolled: UserEnrolled = {
  type: 'UserEnrolled',
  data: {
    orgId: 'staffordshire-cc',
    name: 'Alex Practitioner',
    email: 'alex@example.gov.uk',
    role: 'practitioner',
  },
};
const issued: ApiTokenIssued = { type: 'ApiTokenIssued', data: { tokenId: 'tok-1', tokenHash: HASH } };
const accepted: UserEvent = { type: 'AccessAgreementAccepted', data: { version: ACCESS_AGREEMENT_VERSION } };
const suspended: UserEvent = { type: 'UserSuspended', data: { reason: 'left the team' } };

const enrol = (data: Partial<Extract<UserCommand, { type: 'EnrolUser' }>['data']> = {}): UserCommand => ({
  type: 'EnrolUser',
  data: {
    orgId: 'staffordshire-cc',
    name: 'Alex Practitioner',
    email: 'alex@example.gov.uk',
    role: 'practitioner',
    ...data,
  },
  metadata,
});
const cmd = <T extends UserCommand['type']>(type: T, data: Extract<UserCommand, { type: T }>['data']) =>
  ({ type, data, metadata }) as UserCommand;

describe('user decider', () => {
  it('enrols a user in one organisation with one role', () => {
    spec.given([]).when(enrol()).then([enrolled]);
  });

  it('enrols and issues the first token in one decision', () => {
    spec
      .given([])
      .when(enrol({ token: { tokenId: 'tok-1', tokenHash: HASH } }))
      .then([enrolled, issued]);
  });

  it('enrols a user once', () => {
    spec.given([enrolled]).when(enrol()).thenFails('user.already-enrolled');
  });

  it('lower-cases the email so one address is one user', () => {
    spec
      .given([])
      .when(enrol({ email: ' Alex@Example.GOV.uk ' }))
      .then([enrolled]);
  });

  it.each(['alex', 'alex@', '@example.gov.uk', 'alex@example', 'a b@example.gov.uk'])(
    'refuses email shape %p',
    (email) => {
      spec.given([]).when(enrol({ email })).thenFails('user.email-invalid');
    },
  );

  // One email, one user: an address that reads as another's (a zero-width space, a soft hyphen, a bidi mark
  // or a control character in it) would enrol the same person twice under an address that looks the same.
  it.each([
    'alex\u200B@example.gov.uk',
    'al\u00ADex@example.gov.uk',
    'alex@example.gov.uk\u200E',
    'alex\u0007@x.uk',
  ])('refuses an email with an invisible character %p', (email) => {
    spec.given([]).when(enrol({ email })).thenFails('user.email-invalid');
  });

  it('requires a role from the vocabulary', () => {
    spec
      .given([])
      .when(enrol({ role: 'superuser' }))
      .thenFails('user.role-invalid');
  });

  it('requires a name and an organisation', () => {
    spec
      .given([])
      .when(enrol({ name: '' }))
      .thenFails('user.name-required');
    spec
      .given([])
      .when(enrol({ orgId: ' ' }))
      .thenFails('user.organisation-required');
  });

  it('keeps the email out of the error a bad address raises', () => {
    let error: unknown;
    try {
      userDecider.decide(enrol({ email: 'secret.person@nowhere' }), userDecider.initialState());
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ code: 'user.email-invalid' });
    expect(JSON.stringify({ ...(error as object), message: (error as Error).message })).not.toContain(
      'secret.person',
    );
  });

  describe('access agreement', () => {
    it('blocks document and audit calls until the current version is accepted', () => {
      const state = spec
        .given([enrolled])
        .when(cmd('AcceptAccessAgreement', { version: 1 }))
        .thenState();
      expect(userAccess(userDecider.evolve(userDecider.initialState(), enrolled))).toEqual({
        allowed: false,
        reason: 'user.access-agreement-not-accepted',
      });
      expect(userAccess(state)).toEqual({ allowed: true });
    });

    it('records acceptance of the current version', () => {
      spec
        .given([enrolled])
        .when(cmd('AcceptAccessAgreement', { version: ACCESS_AGREEMENT_VERSION }))
        .then([accepted]);
    });

    it('treats accepting again as a retry that records nothing', () => {
      spec
        .given([enrolled, accepted])
        .when(cmd('AcceptAccessAgreement', { version: ACCESS_AGREEMENT_VERSION }))
        .then([]);
    });

    it('refuses a version that is not the current one', () => {
      spec
        .given([enrolled])
        .when(cmd('AcceptAccessAgreement', { version: 99 }))
        .thenFails('user.access-agreement-version-unknown');
    });

    it('states confidentiality, need to know and no copies outside the case system', () => {
      const text = ACCESS_AGREEMENT.terms.join(' ');
      expect(text).toMatch(/confidential/);
      expect(text).toMatch(/need to know/);
      expect(text).toMatch(/outside my organisation's case management system/);
    });
  });

  describe('suspension and tokens', () => {
    it('suspension revokes every live token so reinstatement never revives one', () => {
      const second: UserEvent = {
        type: 'ApiTokenIssued',
        data: { tokenId: 'tok-2', tokenHash: 'cd'.repeat(32) },
      };
      const revokedFirst: UserEvent = { type: 'ApiTokenRevoked', data: { tokenId: 'tok-1' } };
      spec
        .given([enrolled, issued, second, revokedFirst])
        .when(cmd('SuspendUser', { reason: 'left the team' }))
        .then([suspended, { type: 'ApiTokenRevoked', data: { tokenId: 'tok-2' } }]);
    });

    it('suspending a suspended user is a conflict, not the caller refused', () => {
      spec
        .given([enrolled, suspended])
        .when(cmd('SuspendUser', { reason: 'again' }))
        .thenFails('user.already-suspended');
    });

    it('a suspended user cannot be issued a token', () => {
      spec
        .given([enrolled, suspended])
        .when(cmd('IssueApiToken', { tokenId: 'tok-1', tokenHash: HASH }))
        .thenFails('user.suspended');
    });

    it('a suspended user is refused access even with the agreement accepted', () => {
      const state = [enrolled, accepted, suspended].reduce(userDecider.evolve, userDecider.initialState());
      expect(userAccess(state)).toEqual({ allowed: false, reason: 'user.suspended' });
    });

    it('reinstates a suspended user, with a reason', () => {
      spec
        .given([enrolled, suspended])
        .when(cmd('ReinstateUser', { reason: 'returned' }))
        .then([{ type: 'UserReinstated', data: { reason: 'returned' } }]);
      spec
        .given([enrolled])
        .when(cmd('ReinstateUser', { reason: 'x' }))
        .thenFails('user.not-suspended');
    });

    it('issues a token recorded only by its SHA-256 hash', () => {
      spec
        .given([enrolled])
        .when(cmd('IssueApiToken', { tokenId: 'tok-1', tokenHash: HASH }))
        .then([issued]);
      spec
        .given([enrolled])
        .when(cmd('IssueApiToken', { tokenId: 'tok-1', tokenHash: 'not-a-hash' }))
        .thenFails('user.token-invalid');
    });

    it('issues a token id once', () => {
      spec
        .given([enrolled, issued])
        .when(cmd('IssueApiToken', { tokenId: 'tok-1', tokenHash: HASH }))
        .thenFails('user.token-already-issued');
    });

    it('revokes a token, and fails to revoke an unknown or revoked one', () => {
      const revoked: UserEvent = { type: 'ApiTokenRevoked', data: { tokenId: 'tok-1' } };
      spec
        .given([enrolled, issued])
        .when(cmd('RevokeApiToken', { tokenId: 'tok-1' }))
        .then([revoked]);
      spec
        .given([enrolled])
        .when(cmd('RevokeApiToken', { tokenId: 'tok-1' }))
        .thenFails('user.token-not-found');
      spec
        .given([enrolled, issued, revoked])
        .when(cmd('RevokeApiToken', { tokenId: 'tok-1' }))
        .thenFails('user.token-already-revoked');
      const state = [enrolled, issued, revoked].reduce(userDecider.evolve, userDecider.initialState());
      expect(isTokenActive(state, 'tok-1')).toBe(false);
    });

    it('commands on a user who was never enrolled fail as not found', () => {
      spec
        .given([])
        .when(cmd('SuspendUser', { reason: 'x' }))
        .thenFails('user.not-found');
    });
  });
});

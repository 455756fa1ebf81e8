import { deciderSpec } from '../testing/decider-spec';
import { OrganisationCommand } from './organisation.commands';
import { organisationDecider } from './organisation.decider';
import { OrganisationEvent, OrganisationKeyAdded, OrganisationRegistered } from './organisation.events';
import { activeKeys, canReceiveDocuments } from './organisation.state';

const spec = deciderSpec(organisationDecider);
const now = new Date('2024-05-01T09:00:00.000Z');
const metadata = { now };
const FPR = 'a1b2c3d4e5f60718293a4b5c6d7e8f9012345678';
const ARMORED = '-----BEGIN PGP PUBLIC KEY BLOCK-----\n\nxjMEZ...\n-----END PGP PUBLIC KEY BLOCK-----';

const registered: OrganisationRegistered = {
  type: 'OrganisationRegistered',
  data: {
    name: 'Staffordshire County Council',
    kind: 'local-authority',
    jurisdiction: 'GB-ENG',
    icoRegistration: 'Z1234567',
  },
};
const keyAdded: OrganisationKeyAdded = {
  type: 'OrganisationKeyAdded',
  data: { fingerprint: FPR, publicKey: ARMORED, algorithm: 'curve25519' },
};

const register = (
  data: Partial<Extract<OrganisationCommand, { type: 'RegisterOrganisation' }>['data']> = {},
): OrganisationCommand => ({
  type: 'RegisterOrganisation',
  data: {
    name: 'Staffordshire County Council',
    kind: 'local-authority',
    jurisdiction: 'GB-ENG',
    icoRegistration: 'Z1234567',
    ...data,
  },
  metadata,
});
const addKey = (
  data: Partial<Extract<OrganisationCommand, { type: 'AddOrganisationKey' }>['data']> = {},
): OrganisationCommand => ({
  type: 'AddOrganisationKey',
  data: { fingerprint: FPR, publicKey: ARMORED, algorithm: 'curve25519', ...data },
  metadata,
});
const revokeKey = (fingerprint = FPR, reason = 'key rotation'): OrganisationCommand => ({
  type: 'RevokeOrganisationKey',
  data: { fingerprint, reason },
  metadata,
});

describe('organisation decider', () => {
  describe('registration', () => {
    it('registers a UK organisation with its ICO number', () => {
      spec.given([]).when(register()).then([registered]);
    });

    it('normalises whitespace in the name, the jurisdiction case and the ICO number', () => {
      spec
        .given([])
        .when(
          register({
            name: '  Staffordshire   County Council ',
            jurisdiction: 'gb-eng',
            icoRegistration: ' z1234567 ',
          }),
        )
        .then([registered]);
    });

    it('registers an organisation only once', () => {
      spec.given([registered]).when(register()).thenFails('organisation.already-registered');
    });

    it('requires a name', () => {
      spec
        .given([])
        .when(register({ name: '   ' }))
        .thenFails('organisation.name-required');
    });

    it('requires a kind from the vocabulary', () => {
      spec
        .given([])
        .when(register({ kind: 'council' }))
        .thenFails('organisation.kind-invalid');
    });

    it.each(['GB', 'UK', 'England', 'G1', ''])('refuses jurisdiction %p', (jurisdiction) => {
      spec.given([]).when(register({ jurisdiction })).thenFails('organisation.jurisdiction-invalid');
    });

    it('accepts a non-UK organisation without an ICO number; it can never receive a document', () => {
      const state = spec
        .given([])
        .when(register({ jurisdiction: 'FR', icoRegistration: null }))
        .thenState();
      expect(state).toMatchObject({ jurisdiction: 'FR', icoRegistration: null });
      expect(canReceiveDocuments(state)).toBe(false);
    });

    it('requires an ICO registration number for a UK organisation', () => {
      spec
        .given([])
        .when(register({ icoRegistration: undefined }))
        .thenFails('organisation.ico-registration-invalid');
    });

    it.each(['ZA123456', 'Z1234567', 'ZB1234567'])('accepts ICO registration shape %p', (icoRegistration) => {
      spec
        .given([])
        .when(register({ icoRegistration }))
        .then([{ ...registered, data: { ...registered.data, icoRegistration } }]);
    });

    it.each(['1234567', 'Z12', 'ICO-REG-1'])('refuses ICO registration shape %p', (icoRegistration) => {
      spec.given([]).when(register({ icoRegistration })).thenFails('organisation.ico-registration-invalid');
    });
  });

  describe('keys', () => {
    it('adds a validated key to a registered organisation', () => {
      spec.given([registered]).when(addKey()).then([keyAdded]);
    });

    it('normalises a gpg-style fingerprint (upper case, grouped) to lower-case hex', () => {
      const grouped = FPR.toUpperCase().replace(/(.{4})/g, '$1 ');
      spec
        .given([registered])
        .when(addKey({ fingerprint: grouped }))
        .then([keyAdded]);
    });

    it('adds keys only to a registered organisation', () => {
      spec.given([]).when(addKey()).thenFails('organisation.not-found');
    });

    it('adds a key once', () => {
      spec.given([registered, keyAdded]).when(addKey()).thenFails('organisation.key-already-added');
    });

    it('never re-adds a revoked key', () => {
      const revoked: OrganisationEvent = {
        type: 'OrganisationKeyRevoked',
        data: { fingerprint: FPR, reason: 'compromised' },
      };
      spec.given([registered, keyAdded, revoked]).when(addKey()).thenFails('organisation.key-already-added');
    });

    it('refuses a malformed fingerprint', () => {
      spec
        .given([registered])
        .when(addKey({ fingerprint: 'abc' }))
        .thenFails('organisation.key-invalid');
    });

    it('refuses a key that is not ASCII-armored', () => {
      spec
        .given([registered])
        .when(addKey({ publicKey: 'xjMEZ...' }))
        .thenFails('organisation.key-invalid');
    });

    it('refuses RSA keys under 3072 bits', () => {
      spec
        .given([registered])
        .when(addKey({ algorithm: 'rsaEncryptSign', bits: 2048 }))
        .thenFails('organisation.key-too-weak');
    });

    it('records an RSA-3072 key with its size and expiry', () => {
      spec
        .given([registered])
        .when(addKey({ algorithm: 'RSA', bits: 3072, expiresAt: '2026-05-01T00:00:00Z' }))
        .then([
          {
            ...keyAdded,
            data: { ...keyAdded.data, algorithm: 'rsa', bits: 3072, expiresAt: '2026-05-01T00:00:00.000Z' },
          },
        ]);
    });

    it('refuses a key that has already expired', () => {
      spec
        .given([registered])
        .when(addKey({ expiresAt: '2024-04-30T00:00:00Z' }))
        .thenFails('organisation.key-expired');
    });

    it('revokes a key with a reason and keeps it in history', () => {
      const state = spec.given([registered, keyAdded]).when(revokeKey(FPR.toUpperCase())).thenState();
      expect(state.status === 'registered' && state.keys[FPR]?.revoked).toEqual({ reason: 'key rotation' });
      expect(activeKeys(state, now)).toEqual([]);
    });

    it('fails to revoke an unknown key', () => {
      spec.given([registered]).when(revokeKey()).thenFails('organisation.key-not-found');
    });

    it('fails to revoke a key twice', () => {
      const revoked: OrganisationEvent = {
        type: 'OrganisationKeyRevoked',
        data: { fingerprint: FPR, reason: 'rotation' },
      };
      spec
        .given([registered, keyAdded, revoked])
        .when(revokeKey())
        .thenFails('organisation.key-already-revoked');
    });

    it('requires a reason to revoke', () => {
      spec
        .given([registered, keyAdded])
        .when(revokeKey(FPR, ' '))
        .thenFails('organisation.revocation-reason-required');
    });

    it('never offers an expired key for a new share', () => {
      const expiring: OrganisationEvent = {
        type: 'OrganisationKeyAdded',
        data: { ...keyAdded.data, fingerprint: 'f'.repeat(40), expiresAt: '2024-06-01T00:00:00.000Z' },
      };
      const state = [registered, keyAdded, expiring].reduce(
        organisationDecider.evolve,
        organisationDecider.initialState(),
      );
      expect(activeKeys(state, now).map((k) => k.fingerprint)).toEqual([FPR, 'f'.repeat(40)]);
      expect(activeKeys(state, new Date('2024-06-01T00:00:00.000Z')).map((k) => k.fingerprint)).toEqual([
        FPR,
      ]);
    });
  });
});

import { assertNever, fail } from '../errors';
import { CommandMetadata, Decider } from '../shared/decider';
import { nonBlank } from '../shared/text';
import { parseInstant } from '../shared/time';
import { isUk, normaliseJurisdiction } from '../vocabularies/jurisdictions';
import { isOrganisationKind } from '../vocabularies/organisation-kinds';
import { checkWebhookUrl } from '../webhook/webhook-url.policy';
import {
  AddOrganisationKey,
  OrganisationCommand,
  RegisterOrganisation,
  RevokeOrganisationKey,
} from './organisation.commands';
import { OrganisationEvent, OrganisationKeyAdded, OrganisationRegistered } from './organisation.events';
import {
  evolveOrganisation,
  initialOrganisationState,
  OrganisationState,
  teamsOf,
} from './organisation.state';
import { decideTeams } from './teams';

/** ICO data protection fee register numbers look like Z1234567 or ZA123456; the shape is checked loosely. */
const ICO_REGISTRATION = /^[A-Z]{1,2}[0-9]{6,7}$/;
/** v4 fingerprints are 40 hex digits, v6 are 64. */
const FINGERPRINT = /^(?:[0-9a-f]{40}|[0-9a-f]{64})$/;
/**
 * docs/architecture.md §19.1: minRSABits 3072. The crypto lib enforces it too; the domain refuses to record
 * less.
 */
export const MIN_RSA_BITS = 3072;
export const MAX_ORGANISATION_NAME_LENGTH = 200;

/** gpg prints fingerprints upper-case in groups of four; openpgp.js prints lower-case without spaces. */
export function normaliseFingerprint(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const fpr = value.replace(/\s+/g, '').toLowerCase();
  return FINGERPRINT.test(fpr) ? fpr : undefined;
}

export function decideOrganisation(
  command: OrganisationCommand,
  state: OrganisationState,
): OrganisationEvent[] {
  switch (command.type) {
    case 'RegisterOrganisation':
      return [register(command, state)];
    case 'AddOrganisationKey':
      return [addKey(command, registered(state), command.metadata)];
    case 'RevokeOrganisationKey':
      return revokeKey(command, registered(state));
    case 'ConfigureWebhook': {
      registered(state);
      const { url, secretId, allowInsecureLocalhost } = command.data;
      if (nonBlank(secretId) === undefined) throw new Error('ConfigureWebhook needs a secretId');
      return [
        {
          type: 'WebhookConfigured',
          data: { url: checkWebhookUrl(url, { allowInsecureLocalhost }), secretId },
        },
      ];
    }
    case 'RemoveWebhook': {
      const webhook = registered(state).webhook;
      // Removing what is not there is a repeat of an earlier removal: nothing to record.
      return webhook ? [{ type: 'WebhookRemoved', data: { url: webhook.url } }] : [];
    }
    case 'RecordTokenIssueRefusal': {
      registered(state);
      const { reason, userId, role } = command.data;
      return [
        {
          type: 'TokenIssueRefused',
          data: {
            reason,
            ...(userId !== undefined ? { userId } : {}),
            ...(role !== undefined ? { role } : {}),
          },
        },
      ];
    }
    case 'CreateTeam':
    case 'AddTeamMember':
    case 'RemoveTeamMember':
    case 'SetDefaultReceivingTeam':
      return decideTeams(command, teamsOf(registered(state)));
    default:
      return assertNever(command, 'organisation command');
  }
}

function registered(state: OrganisationState) {
  if (state.status !== 'registered') throw fail('organisation.not-found');
  return state;
}

function register({ data }: RegisterOrganisation, state: OrganisationState): OrganisationRegistered {
  if (state.status !== 'none') throw fail('organisation.already-registered');
  const name = nonBlank(data.name)?.replace(/\s+/g, ' ');
  if (!name || name.length > MAX_ORGANISATION_NAME_LENGTH) {
    throw fail(
      'organisation.name-required',
      `a name of 1 to ${MAX_ORGANISATION_NAME_LENGTH} characters is required`,
    );
  }
  if (!isOrganisationKind(data.kind))
    throw fail('organisation.kind-invalid', 'kind is not in the vocabulary');
  const jurisdiction = normaliseJurisdiction(data.jurisdiction);
  if (!jurisdiction) {
    throw fail(
      'organisation.jurisdiction-invalid',
      'use GB-ENG, GB-WLS, GB-SCT or GB-NIR for the UK, or an ISO 3166-1 alpha-2 country code',
    );
  }
  const ico = nonBlank(data.icoRegistration)?.replace(/\s+/g, '').toUpperCase();
  // Every UK controller pays the ICO data protection fee; a foreign organisation has no ICO number.
  if (ico === undefined ? isUk(jurisdiction) : !ICO_REGISTRATION.test(ico)) {
    throw fail(
      'organisation.ico-registration-invalid',
      'expected an ICO registration number such as Z1234567',
    );
  }
  return {
    type: 'OrganisationRegistered',
    data: { name, kind: data.kind, jurisdiction, icoRegistration: ico ?? null },
  };
}

function addKey(
  { data }: AddOrganisationKey,
  state: Extract<OrganisationState, { status: 'registered' }>,
  { now }: CommandMetadata,
): OrganisationKeyAdded {
  const fingerprint = normaliseFingerprint(data.fingerprint);
  if (!fingerprint) throw fail('organisation.key-invalid', 'fingerprint must be 40 or 64 hexadecimal digits');
  if (state.keys[fingerprint]) {
    throw fail('organisation.key-already-added', 'a key is added once; a revoked key stays revoked', {
      fingerprint,
    });
  }
  const publicKey = nonBlank(data.publicKey);
  if (!publicKey || !publicKey.startsWith('-----BEGIN PGP PUBLIC KEY BLOCK-----')) {
    throw fail('organisation.key-invalid', 'an ASCII-armored OpenPGP public key is required');
  }
  const algorithm = nonBlank(data.algorithm)?.toLowerCase();
  if (!algorithm) throw fail('organisation.key-invalid', 'the key algorithm is required');
  if (data.bits !== undefined && (!Number.isInteger(data.bits) || data.bits <= 0)) {
    throw fail('organisation.key-invalid', 'bits must be a positive integer');
  }
  if (algorithm.startsWith('rsa') && (data.bits === undefined || data.bits < MIN_RSA_BITS)) {
    throw fail('organisation.key-too-weak', `RSA keys need at least ${MIN_RSA_BITS} bits`, {
      minBits: MIN_RSA_BITS,
    });
  }
  let expiresAt: string | undefined;
  if (data.expiresAt !== undefined && data.expiresAt !== null) {
    const expiry = parseInstant(data.expiresAt);
    if (!expiry) throw fail('organisation.key-invalid', 'expiresAt must be an ISO-8601 instant');
    if (expiry.getTime() <= now.getTime())
      throw fail('organisation.key-expired', 'the key has already expired');
    expiresAt = expiry.toISOString();
  }
  return {
    type: 'OrganisationKeyAdded',
    data: {
      fingerprint,
      publicKey,
      algorithm,
      ...(data.bits !== undefined ? { bits: data.bits } : {}),
      ...(expiresAt !== undefined ? { expiresAt } : {}),
    },
  };
}

function revokeKey(
  { data }: RevokeOrganisationKey,
  state: Extract<OrganisationState, { status: 'registered' }>,
): OrganisationEvent[] {
  const fingerprint = normaliseFingerprint(data.fingerprint);
  const key = fingerprint ? state.keys[fingerprint] : undefined;
  if (!fingerprint || !key) throw fail('organisation.key-not-found');
  if (key.revoked) throw fail('organisation.key-already-revoked', undefined, { fingerprint });
  const reason = nonBlank(data.reason);
  if (!reason) throw fail('organisation.revocation-reason-required');
  return [{ type: 'OrganisationKeyRevoked', data: { fingerprint, reason } }];
}

export const organisationDecider: Decider<OrganisationState, OrganisationCommand, OrganisationEvent> = {
  decide: decideOrganisation,
  evolve: evolveOrganisation,
  initialState: initialOrganisationState,
};

import { Command } from '../shared/decider';

/** Command data is raw input from the edge; the decider validates and normalises it. */
export type RegisterOrganisation = Command<
  'RegisterOrganisation',
  { name: string; kind: string; jurisdiction: string; icoRegistration?: string | null }
>;

export type AddOrganisationKey = Command<
  'AddOrganisationKey',
  { fingerprint: string; publicKey: string; algorithm: string; bits?: number; expiresAt?: string | null }
>;

export type RevokeOrganisationKey = Command<'RevokeOrganisationKey', { fingerprint: string; reason: string }>;

export type OrganisationCommand = RegisterOrganisation | AddOrganisationKey | RevokeOrganisationKey;

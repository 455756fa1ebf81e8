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

/** `secretId` is drawn by the caller (the domain draws no random ids); the URL is checked here. */
export type ConfigureWebhook = Command<
  'ConfigureWebhook',
  { url: string; secretId: string; allowInsecureLocalhost: boolean }
>;

export type RemoveWebhook = Command<'RemoveWebhook', Record<string, never>>;

/** Records a refused attempt to obtain a token for one of the organisation's users (the refusal is the caller's). */
export type RecordTokenIssueRefusal = Command<
  'RecordTokenIssueRefusal',
  { reason: string; userId?: string; role?: string }
>;

export type OrganisationCommand =
  | RegisterOrganisation
  | AddOrganisationKey
  | RevokeOrganisationKey
  | ConfigureWebhook
  | RemoveWebhook
  | RecordTokenIssueRefusal;

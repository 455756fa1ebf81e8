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
/** `teamId` is drawn by the caller (the domain draws no random ids). */
export type CreateTeam = Command<'CreateTeam', { teamId: string; name: string }>;
/**
 * `memberOfOrganisation`: the handler read the user's own stream and found them enrolled in this
 * organisation (a team never holds another organisation's user).
 */
export type AddTeamMember = Command<
  'AddTeamMember',
  { teamId: string; userId: string; memberOfOrganisation: boolean }
>;
export type RemoveTeamMember = Command<'RemoveTeamMember', { teamId: string; userId: string }>;
export type SetDefaultReceivingTeam = Command<'SetDefaultReceivingTeam', { teamId: string | null }>;

export type TeamCommand = CreateTeam | AddTeamMember | RemoveTeamMember | SetDefaultReceivingTeam;

export type OrganisationCommand =
  | RegisterOrganisation
  | AddOrganisationKey
  | RevokeOrganisationKey
  | ConfigureWebhook
  | RemoveWebhook
  | RecordTokenIssueRefusal
  | TeamCommand;

import { Command } from '../shared/decider';

export interface TokenRecordInput {
  tokenId: string;
  tokenHash: string;
}

/** `token` lets enrolment hand out the first token in the same append (POST /organisations/:org/users). */
export type EnrolUser = Command<
  'EnrolUser',
  { orgId: string; name: string; email: string; role: string; token?: TokenRecordInput }
>;
export type AcceptAccessAgreement = Command<'AcceptAccessAgreement', { version: number }>;
export type SuspendUser = Command<'SuspendUser', { reason: string }>;
export type ReinstateUser = Command<'ReinstateUser', { reason: string }>;
export type IssueApiToken = Command<'IssueApiToken', TokenRecordInput>;
export type RevokeApiToken = Command<'RevokeApiToken', { tokenId: string }>;

/** Data-protection training completed (ISA clause 7.0); `completedOn` is `YYYY-MM-DD`, not after today. */
export type RecordTraining = Command<
  'RecordTraining',
  { course: string; completedOn: string; recordedBy: string }
>;

/** A refused action to record (see ActionRefused): the route's template, the problem code answered. */
export type RecordRefusal = Command<
  'RecordRefusal',
  { route: string; reason: string; resourceId?: string; orgIds?: string[] }
>;

export type UserCommand =
  | RecordRefusal
  | EnrolUser
  | AcceptAccessAgreement
  | SuspendUser
  | ReinstateUser
  | IssueApiToken
  | RevokeApiToken
  | RecordTraining;

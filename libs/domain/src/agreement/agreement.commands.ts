import { Command } from '../shared/decider';
import type { AgreementState } from './agreement.state';
import { AgreementTermsInput } from './agreement.terms';

/**
 * `partiesOutsideUk` names the parties whose jurisdiction is not a UK nation, loaded by the handler
 * (clause 6.0: refused at draft, amendment and the final signature).
 * `parent` is the state of stream `agreement-{parentId}`, loaded by the handler for a tier-2 agreement
 * (undefined when that stream does not exist). The decider never loads anything itself.
 */
export type DraftAgreement = Command<
  'DraftAgreement',
  AgreementTermsInput & { parent?: AgreementState; partiesOutsideUk?: string[] }
>;

/** `orgId` is the acting IG lead's organisation; every command that acts for a party names it. */
export type AmendAgreement = Command<
  'AmendAgreement',
  {
    orgId: string;
    reasonForChange: string;
    changes: Partial<AgreementTermsInput>;
    parent?: AgreementState;
    /** Parties (of the terms after the change) whose jurisdiction is outside the UK (clause 6.0). */
    partiesOutsideUk?: string[];
  }
>;

/** `version`, when given, is the version the signatory read: a signature never lands on a newer one. */
export type SignAgreement = Command<
  'SignAgreement',
  {
    orgId: string;
    signatory: string;
    position: string;
    version?: number;
    partiesOutsideUk?: string[];
    /** The date as signed on the document (`YYYY-MM-DD`), when it differs from the day it is recorded. */
    signedOn?: string;
  }
>;

export type RecordAgreementReview = Command<'RecordAgreementReview', { orgId: string }>;
export type SuspendAgreement = Command<'SuspendAgreement', { orgId: string; reason: string }>;
export type ReinstateAgreement = Command<'ReinstateAgreement', { orgId: string; reason: string }>;

/** `effectiveAt`: an ISO-8601 instant or a `YYYY-MM-DD` date (start of that UTC day), not before today. */
export type TerminateAgreement = Command<'TerminateAgreement', { orgId: string; effectiveAt: string }>;

/** One version of an existing agreement as its history records it (docs/architecture.md §28). */
export interface ImportedVersionInput {
  versionLabel?: string | null;
  /** The date of the version (`YYYY-MM-DD`): a signature without a version belongs to the latest at its date. */
  date?: string | null;
  ratifiedOn?: string | null;
  reasonForChange?: string | null;
  /** Changed terms against the previous version; none for the first. */
  changes?: Partial<AgreementTermsInput> | null;
}

export interface ImportedSignatureInput {
  orgId: string;
  signatory?: string | null;
  position: string;
  signedOn: string;
  /** Accord's version number (1, 2, ...), or the partners' label; else by date. */
  version?: number | null;
  versionLabel?: string | null;
}

/** POST /agreements/import: an agreement that exists on paper, with its versions and signatures. */
export type ImportAgreement = Command<
  'ImportAgreement',
  {
    orgId: string;
    importedBy: string;
    source: string;
    terms: AgreementTermsInput;
    versions?: ImportedVersionInput[] | null;
    signatures?: ImportedSignatureInput[] | null;
    parent?: AgreementState;
    partiesOutsideUk?: string[];
  }
>;

/** A party leaves the agreement from `effectiveAt` (docs/architecture.md §28); the others carry on. */
export type WithdrawFromAgreement = Command<'WithdrawFromAgreement', { orgId: string; effectiveAt: string }>;

/**
 * A new party joins: version n+1 adds `joiner`; the existing parties sign it (their approval) and the
 * joiner signs it. `orgId` is the acting IG lead's organisation: the lead's, or the joiner's own.
 */
export type JoinAgreement = Command<
  'JoinAgreement',
  { orgId: string; joiner: string; partiesOutsideUk?: string[]; parent?: AgreementState }
>;

export type AgreementCommand =
  | WithdrawFromAgreement
  | JoinAgreement
  | DraftAgreement
  | ImportAgreement
  | AmendAgreement
  | SignAgreement
  | RecordAgreementReview
  | SuspendAgreement
  | ReinstateAgreement
  | TerminateAgreement;

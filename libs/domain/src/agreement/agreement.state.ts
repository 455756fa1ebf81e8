import { assertNever } from '../errors';
import type { AgreementEvent } from './agreement.events';
import type { AgreementTerms } from './agreement.terms';

export interface AgreementSignature {
  signatory: string;
  position: string;
  signedAt: string;
  /** The date as signed on the document, when given (an import, or a signature recorded late). */
  signedOn?: string;
}

export interface AgreementVersion {
  version: number;
  terms: AgreementTerms;
  /** Null for version 1, which is the draft itself. */
  reasonForChange: string | null;
  /** By party organisation id. */
  signatures: Record<string, AgreementSignature>;
  activatedAt: string | null;
}

/** Status as the user reads it; `terminated` depends on the clock, see `agreementStatusAt`. */
export type AgreementStatus = 'draft' | 'active' | 'suspended' | 'terminated';

export interface ExistingAgreement {
  /**
   * Status as far as events alone tell. Termination takes effect at a date that may follow the notice, and
   * evolve() has no clock, so `terminated` is derived from `termination` at query time.
   */
  status: 'draft' | 'active' | 'suspended';
  /** The latest version: the one parties sign. */
  version: number;
  versions: AgreementVersion[];
  /**
   * The version that governs new shares. Until every party has signed an amendment, the previous active
   * version stays in force, so this may lag `version`.
   */
  activeVersion: number | null;
  activeTerms: AgreementTerms | null;
  firstActivatedAt: string | null;
  lastReviewedAt: string | null;
  nextReviewDue: string | null;
  suspension: { reason: string } | null;
  termination: { noticeServedBy: string; effectiveAt: string } | null;
  /** Parties that gave notice of withdrawal, with the instant it takes effect. */
  withdrawals?: Record<string, string>;
  /** Provenance of an agreement brought in by AgreementImported. */
  imported?: { source: string; importedBy: string; importedAt: string };
}

export type AgreementState = { status: 'none' } | ExistingAgreement;

export const initialAgreementState = (): AgreementState => ({ status: 'none' });

export function currentVersion(state: ExistingAgreement): AgreementVersion {
  return state.versions[state.version - 1]!;
}

export function currentTerms(state: ExistingAgreement): AgreementTerms {
  return currentVersion(state).terms;
}

export function isTerminatedAt(state: AgreementState, now: Date): boolean {
  return (
    state.status !== 'none' &&
    !!state.termination &&
    Date.parse(state.termination.effectiveAt) <= now.getTime()
  );
}

/** The party has withdrawn by `now`: it neither sends nor opens under the agreement from then. */
export function hasWithdrawnAt(state: AgreementState, orgId: string, now: Date): boolean {
  if (state.status === 'none') return false;
  const at = state.withdrawals?.[orgId];
  return at !== undefined && Date.parse(at) <= now.getTime();
}

export function agreementStatusAt(state: ExistingAgreement, now: Date): AgreementStatus {
  return isTerminatedAt(state, now) ? 'terminated' : state.status;
}

function replaceVersion(state: ExistingAgreement, version: AgreementVersion): AgreementVersion[] {
  return state.versions.map((v) => (v.version === version.version ? version : v));
}

export function evolveAgreement(state: AgreementState, event: AgreementEvent): AgreementState {
  if (event.type === 'AgreementDrafted') {
    const first: AgreementVersion = {
      version: 1,
      terms: event.data,
      reasonForChange: null,
      signatures: {},
      activatedAt: null,
    };
    return {
      status: 'draft',
      version: 1,
      versions: [first],
      activeVersion: null,
      activeTerms: null,
      firstActivatedAt: null,
      lastReviewedAt: null,
      nextReviewDue: null,
      suspension: null,
      termination: null,
    };
  }
  if (event.type === 'AgreementImported') {
    const { versions, activeVersion, firstActivatedAt, nextReviewDue } = event.data;
    const imported: AgreementVersion[] = versions.map((v) => ({
      version: v.version,
      terms: v.terms,
      reasonForChange: v.reasonForChange,
      signatures: Object.fromEntries(
        v.signatures.map((s) => [
          s.orgId,
          {
            signatory: s.signatory,
            position: s.position,
            signedAt: event.data.importedAt,
            signedOn: s.signedOn,
          },
        ]),
      ),
      activatedAt: v.activatedAt,
    }));
    const active = activeVersion === null ? null : imported[activeVersion - 1]!;
    return {
      status: active ? 'active' : 'draft',
      version: imported.length,
      versions: imported,
      activeVersion,
      activeTerms: active ? active.terms : null,
      firstActivatedAt,
      lastReviewedAt: null,
      nextReviewDue,
      suspension: null,
      termination: null,
      imported: {
        source: event.data.source,
        importedBy: event.data.importedBy,
        importedAt: event.data.importedAt,
      },
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'AgreementAmended': {
      const { version, reasonForChange, changes } = event.data;
      const terms = { ...currentTerms(state), ...changes };
      const next: AgreementVersion = { version, terms, reasonForChange, signatures: {}, activatedAt: null };
      return { ...state, version, versions: [...state.versions, next] };
    }
    case 'AgreementSigned': {
      const { orgId, signatory, position, signedAt, version, signedOn } = event.data;
      const signed = state.versions[version - 1];
      if (!signed) return state;
      const signature = { signatory, position, signedAt, ...(signedOn ? { signedOn } : {}) };
      const updated = { ...signed, signatures: { ...signed.signatures, [orgId]: signature } };
      return { ...state, versions: replaceVersion(state, updated) };
    }
    case 'AgreementActivated': {
      const { version, activatedAt, firstReviewDue } = event.data;
      const activated = state.versions[version - 1];
      if (!activated) return state;
      return {
        ...state,
        status: state.status === 'suspended' ? 'suspended' : 'active',
        versions: replaceVersion(state, { ...activated, activatedAt }),
        activeVersion: version,
        activeTerms: activated.terms,
        firstActivatedAt: state.firstActivatedAt ?? activatedAt,
        nextReviewDue: firstReviewDue ?? state.nextReviewDue,
      };
    }
    case 'AgreementReviewed':
      return { ...state, lastReviewedAt: event.data.reviewedAt, nextReviewDue: event.data.nextReviewDue };
    case 'AgreementSuspended':
      return { ...state, status: 'suspended', suspension: { reason: event.data.reason } };
    case 'AgreementReinstated':
      return { ...state, status: state.activeVersion === null ? 'draft' : 'active', suspension: null };
    case 'AgreementTerminated':
      return { ...state, termination: { ...event.data } };
    case 'PartyWithdrawn':
      return { ...state, withdrawals: { ...state.withdrawals, [event.data.orgId]: event.data.effectiveAt } };
    default:
      return assertNever(event, 'agreement event');
  }
}

import {
  agreementStatusAt,
  AgreementTerms,
  currentTerms,
  ExistingAgreement,
  reviewOverdue,
} from '@accord/domain';
import type { AgreementRecord, AgreementSignatureRecord, AgreementVersionRecord } from '@accord/projections';
import type {
  AgreementDetailDto,
  AgreementOutcomeDto,
  AgreementSummaryDto,
  AgreementVersionDto,
  OrganisationRefDto,
} from './agreement-responses.dto';

/** Organisation names by id (the directory); null when unknown. */
export type NameOf = (orgId: string) => string | null;

/** What every answer about an agreement says, computed from the folded state at `now` (never stored). */
export function outcomeOf(id: string, state: ExistingAgreement, now: Date): AgreementOutcomeDto {
  const latestPending = state.version > (state.activeVersion ?? 0);
  return {
    id,
    version: state.version,
    status: agreementStatusAt(state, now),
    activeVersion: state.activeVersion,
    pendingVersion: latestPending ? state.version : null,
    reviewOverdue: reviewOverdue(state, now),
    nextReviewDue: state.nextReviewDue,
    terminationEffectiveAt: state.termination?.effectiveAt ?? null,
  };
}

/** The terms a reader is shown: those in force, or the draft's before the first activation. */
export function shownTerms(state: ExistingAgreement): AgreementTerms {
  return state.activeTerms ?? currentTerms(state);
}

export function summaryOf(record: AgreementRecord, now: Date, nameOf: NameOf): AgreementSummaryDto {
  const terms = shownTerms(record.state);
  return {
    ...outcomeOf(record.id, record.state, now),
    title: terms.title,
    category: terms.category,
    tier: terms.tier,
    parentId: terms.parentId ?? null,
    leadOrganisation: ref(terms.leadOrg, nameOf),
  };
}

export function detailOf(
  record: AgreementRecord,
  versions: readonly AgreementVersionRecord[],
  signatures: readonly AgreementSignatureRecord[],
  now: Date,
  nameOf: NameOf,
): AgreementDetailDto {
  const { state } = record;
  const terms = shownTerms(state);
  return {
    ...summaryOf(record, now, nameOf),
    terms,
    parties: terms.parties.map((p) => ref(p, nameOf)),
    firstActivatedAt: state.firstActivatedAt,
    lastReviewedAt: state.lastReviewedAt,
    suspension: state.suspension,
    termination: state.termination,
    imported: state.imported ?? null,
    withdrawals: Object.entries(state.withdrawals ?? {}).map(([orgId, effectiveAt]) => ({
      orgId,
      effectiveAt,
    })),
    versions: versions.map((v) => versionOf(v, state, signatures)),
  };
}

function versionOf(
  v: AgreementVersionRecord,
  state: ExistingAgreement,
  signatures: readonly AgreementSignatureRecord[],
): AgreementVersionDto {
  const signed = signatures
    .filter((s) => s.version === v.version)
    .map(({ orgId, signatory, position, signedAt }) => ({
      orgId,
      signatory,
      position,
      signedAt,
      // The date as signed on the document, when it was given (docs/architecture.md §28).
      signedOn: state.versions[v.version - 1]?.signatures[orgId]?.signedOn ?? null,
    }));
  // Only the latest version can still be signed: an amendment replaces a version nobody finished signing.
  const versionState: AgreementVersionDto['state'] =
    v.version === state.activeVersion
      ? 'active'
      : v.version === state.version && v.version > (state.activeVersion ?? 0)
        ? 'pending'
        : 'superseded';
  const signedBy = new Set(signed.map((s) => s.orgId));
  return {
    version: v.version,
    versionLabel: v.terms.versionLabel ?? null,
    state: versionState,
    reasonForChange: v.reasonForChange,
    createdAt: v.createdAt,
    activatedAt: v.activatedAt,
    terms: v.terms,
    signatures: signed,
    awaitingSignatureFrom: versionState === 'pending' ? v.terms.parties.filter((p) => !signedBy.has(p)) : [],
  };
}

function ref(id: string, nameOf: NameOf): OrganisationRefDto {
  return { id, name: nameOf(id) };
}

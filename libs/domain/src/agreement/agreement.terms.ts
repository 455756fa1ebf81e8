import { DomainErrorExtra, fail } from '../errors';
import { isSubset, nonBlank, outside, unique } from '../shared/text';
import { normaliseAgreementCategory } from '../vocabularies/agreement-categories';
import {
  DataCategory,
  isCriminalOffence,
  isDataCategory,
  isSpecialCategory,
} from '../vocabularies/data-categories';
import { isZeroDuration, parseIsoDuration } from '../vocabularies/iso-duration';
import {
  isArt6,
  isArt9,
  isLawfulBasis,
  isSchedule1OrPart3,
  LawfulBasis,
  lawfulBasisFamily,
} from '../vocabularies/lawful-bases';
import type { AgreementState } from './agreement.state';
import { currentTerms, isTerminatedAt } from './agreement.state';

export type AgreementTier = 1 | 2;

/** The terms of one version of an agreement, as recorded in AgreementDrafted and folded from amendments. */
export type AgreementTerms = {
  title: string;
  purposes: string[];
  /** 1 strategic, 2 operational under a tier-1 parent. */
  tier: AgreementTier;
  parentId?: string;
  category: string;
  leadOrg: string;
  parties: string[];
  lawfulBases: LawfulBasis[];
  dataCategories: DataCategory[];
  /** ISO-8601 duration: retainUntil = sharedAt + this. */
  retentionPeriod: string;
  reviewIntervalMonths: number;
  /**
   * Caldicott: every open states the document's purpose (docs/architecture.md §26). Recorded only when true,
   * so terms drafted before it fold and hash as they did.
   */
  requirePurposeConfirmation?: boolean;
};

/** Raw terms as they arrive from the edge. */
export interface AgreementTermsInput {
  title: string;
  purposes: string[];
  tier: number;
  parentId?: string | null;
  category: string;
  leadOrg: string;
  parties: string[];
  lawfulBases: string[];
  dataCategories: string[];
  retentionPeriod: string;
  reviewIntervalMonths?: number | null;
  requirePurposeConfirmation?: boolean | null;
}

/** Tier and parent fix where an agreement sits in the hierarchy; moving it is a new agreement, not an amendment. */
export const AMENDABLE_FIELDS = [
  'title',
  'purposes',
  'category',
  'leadOrg',
  'parties',
  'lawfulBases',
  'dataCategories',
  'retentionPeriod',
  'reviewIntervalMonths',
  'requirePurposeConfirmation',
] as const;
export type AmendableField = (typeof AMENDABLE_FIELDS)[number];
export type AgreementChanges = Partial<Pick<AgreementTerms, AmendableField>>;

export const DEFAULT_REVIEW_INTERVAL_MONTHS = 12;
export const MIN_REVIEW_INTERVAL_MONTHS = 1;
export const MAX_REVIEW_INTERVAL_MONTHS = 60;
export const MAX_TITLE_LENGTH = 300;
export const MAX_PURPOSE_LENGTH = 500;

/** Echo a rejected value in an error only when it looks like a code, never free text a caller typed. */
const codeOrMarker = (v: unknown) =>
  typeof v === 'string' && /^[a-z0-9-]{1,64}$/.test(v) ? v : '(not a code)';

function texts(value: unknown): string[] {
  if (!Array.isArray(value)) return [];
  return unique(
    value.map((v) => nonBlank(v)?.replace(/\s+/g, ' ')).filter((v): v is string => v !== undefined),
  );
}

/**
 * Validates and normalises a whole set of terms (a draft, or a version after amendment). `parent` is the
 * tier-1 parent's state, loaded by the handler, for a tier-2 agreement.
 */
export function validateTerms(
  input: AgreementTermsInput,
  parent: AgreementState | undefined,
  now: Date,
): AgreementTerms {
  const title = nonBlank(input.title)?.replace(/\s+/g, ' ');
  if (!title || title.length > MAX_TITLE_LENGTH) {
    throw fail('agreement.title-required', `a title of 1 to ${MAX_TITLE_LENGTH} characters is required`);
  }
  const purposes = texts(input.purposes);
  if (purposes.length === 0 || purposes.some((p) => p.length > MAX_PURPOSE_LENGTH)) {
    throw fail(
      'agreement.purposes-required',
      `at least one purpose of up to ${MAX_PURPOSE_LENGTH} characters`,
    );
  }
  const tier = input.tier;
  if (tier !== 1 && tier !== 2)
    throw fail('agreement.tier-invalid', 'tier is 1 (strategic) or 2 (operational)');
  const category = normaliseAgreementCategory(input.category);
  if (!category) throw fail('agreement.category-required');
  const parties = texts(input.parties);
  if (parties.length < 2) throw fail('agreement.parties-too-few', 'an agreement needs at least two parties');
  const leadOrg = nonBlank(input.leadOrg);
  if (!leadOrg || !parties.includes(leadOrg)) throw fail('agreement.lead-not-a-party');

  const lawfulBases = validLawfulBases(input.lawfulBases);
  const dataCategories = validDataCategories(input.dataCategories);
  checkConditions(lawfulBases, dataCategories);

  const retentionPeriod =
    typeof input.retentionPeriod === 'string' ? input.retentionPeriod.trim().toUpperCase() : '';
  const retention = parseIsoDuration(retentionPeriod);
  if (!retention || isZeroDuration(retention)) {
    throw fail(
      'agreement.retention-period-invalid',
      'an ISO-8601 duration greater than zero, such as P6Y or P30D',
    );
  }
  const reviewIntervalMonths = input.reviewIntervalMonths ?? DEFAULT_REVIEW_INTERVAL_MONTHS;
  if (
    !Number.isInteger(reviewIntervalMonths) ||
    reviewIntervalMonths < MIN_REVIEW_INTERVAL_MONTHS ||
    reviewIntervalMonths > MAX_REVIEW_INTERVAL_MONTHS
  ) {
    throw fail(
      'agreement.review-interval-invalid',
      `review interval is a whole number of months from ${MIN_REVIEW_INTERVAL_MONTHS} to ${MAX_REVIEW_INTERVAL_MONTHS}`,
    );
  }

  const terms: AgreementTerms = {
    title,
    purposes,
    tier,
    category,
    leadOrg,
    parties,
    lawfulBases,
    dataCategories,
    retentionPeriod,
    reviewIntervalMonths,
    ...(input.requirePurposeConfirmation === true ? { requirePurposeConfirmation: true } : {}),
  };
  const parentId = nonBlank(input.parentId);
  if (tier === 1) {
    if (parentId) throw fail('agreement.parent-not-allowed');
    return terms;
  }
  if (!parentId) throw fail('agreement.parent-required');
  checkWithinParent(terms, parent, now);
  return { ...terms, parentId };
}

function validLawfulBases(value: unknown): LawfulBasis[] {
  const raw = texts(value);
  const unknown = raw.filter((b) => !isLawfulBasis(b));
  if (unknown.length > 0) {
    throw fail('agreement.lawful-basis-invalid', 'lawful bases must come from the vocabulary', {
      lawfulBases: unknown.map(codeOrMarker),
    });
  }
  return raw as LawfulBasis[];
}

function validDataCategories(value: unknown): DataCategory[] {
  const raw = texts(value);
  const unknown = raw.filter((c) => !isDataCategory(c));
  if (unknown.length > 0) {
    throw fail('agreement.data-category-invalid', 'data categories must come from the vocabulary', {
      dataCategories: unknown.map(codeOrMarker),
    });
  }
  if (raw.length === 0) throw fail('agreement.data-categories-required');
  return raw as DataCategory[];
}

/** UK GDPR Art 6, Art 9 and Art 10 with DPA 2018 s10: which conditions the declared data needs. */
function checkConditions(lawfulBases: LawfulBasis[], dataCategories: DataCategory[]): void {
  if (!lawfulBases.some((b) => isArt6(b) || lawfulBasisFamily(b) === 'part3')) {
    throw fail(
      'agreement.lawful-basis-required',
      'every agreement needs an Article 6 basis or DPA 2018 Part 3',
    );
  }
  const special = dataCategories.filter(isSpecialCategory);
  if (special.length > 0 && !lawfulBases.some(isArt9)) {
    throw fail('agreement.art9-basis-required', 'special-category data needs an Article 9(2) condition', {
      dataCategories: special,
    });
  }
  const criminal = dataCategories.filter(isCriminalOffence);
  if (criminal.length > 0 && !lawfulBases.some(isSchedule1OrPart3)) {
    throw fail(
      'agreement.criminal-offence-condition-required',
      'criminal-offence data needs a DPA 2018 Schedule 1 condition or Part 3',
      { dataCategories: criminal },
    );
  }
}

/** A tier-2 agreement operates inside its tier-1 parent: no party, purpose or data category beyond it. */
function checkWithinParent(terms: AgreementTerms, parent: AgreementState | undefined, now: Date): void {
  if (!parent || parent.status === 'none') throw fail('agreement.parent-not-found');
  if (currentTerms(parent).tier !== 1) throw fail('agreement.parent-not-tier-1');
  if (isTerminatedAt(parent, now)) throw fail('agreement.parent-terminated');
  // The parent's terms in force bound the child; a parent's amendment not yet signed widens nothing.
  const scope = parent.activeTerms ?? currentTerms(parent);
  const fields = [
    ['parties', terms.parties, scope.parties],
    ['purposes', terms.purposes, scope.purposes],
    ['dataCategories', terms.dataCategories, scope.dataCategories],
  ] as const;
  for (const [field, values, allowed] of fields) {
    if (!isSubset<string>(values, allowed)) {
      // Purposes are free text, so only the field is named; party ids and category codes are safe to echo.
      const extra: DomainErrorExtra =
        field === 'purposes' ? { field } : { field, values: outside<string>(values, allowed) };
      throw fail('agreement.outside-parent-scope', `${field} must fall within the parent agreement's`, extra);
    }
  }
}

/** The normalised fields that differ; an amendment that changes only the document's text has none. */
export function diffTerms(before: AgreementTerms, after: AgreementTerms): AgreementChanges {
  const changes: Record<string, unknown> = {};
  for (const field of AMENDABLE_FIELDS) {
    // `?? false`: requirePurposeConfirmation is left out when false, and an event cannot carry undefined.
    if (JSON.stringify(before[field]) !== JSON.stringify(after[field]))
      changes[field] = after[field] ?? false;
  }
  return changes as AgreementChanges;
}

export function applyChanges(terms: AgreementTerms, changes: AgreementChanges): AgreementTerms {
  return { ...terms, ...changes };
}

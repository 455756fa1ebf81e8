import { DomainErrorExtra, fail } from '../errors';
import { isSubset, nonBlank, outside, unique } from '../shared/text';
import { normaliseAgreementCategory } from '../vocabularies/agreement-categories';
import {
  DataCategory,
  isCriminalOffence,
  isDataCategory,
  isSpecialCategory,
} from '../vocabularies/data-categories';
import { addIsoDuration, isZeroDuration, parseIsoDuration } from '../vocabularies/iso-duration';
import {
  art9WithoutSchedule1,
  isArt6,
  isArt9,
  isLawfulBasis,
  isSchedule1OrPart3,
  LawfulBasis,
  lawfulBasisFamily,
} from '../vocabularies/lawful-bases';
import { isLegalGateway, LegalGateway } from '../vocabularies/legal-gateways';
import { addMonthsUtc, parseDateOnly } from '../shared/time';
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
  /**
   * Tier 2 only: for each purpose that is not word for word one of the parent's, the parent purpose it
   * narrows (docs/architecture.md §8.4). Absent when every purpose repeats a parent purpose.
   */
  purposeNarrows?: Record<string, string>;
} & AgreementParticulars;

/**
 * What an agreement says beyond the rules Accord enforces, as partners write it (docs/architecture.md §28);
 * each optional, each amendable. Dates are `YYYY-MM-DD` as written on the document.
 */
export type AgreementParticulars = {
  /** Per party organisation id: its data-protection contact. */
  dataProtectionContacts?: Record<string, { name: string; email: string }>;
  dpiaReference?: string;
  /** Per party organisation id: its privacy notice (https). */
  privacyNoticeUrls?: Record<string, string>;
  legalGateways?: LegalGateway[];
  /** Gateways outside the vocabulary, as free text. */
  otherLegalGateways?: string[];
  ratifiedOn?: string;
  /** A stated first review date; without it the first review falls `firstReviewAfterMonths` after activation. */
  firstReviewDue?: string;
  /** Default 6 (the seed ISA's rule). */
  firstReviewAfterMonths?: number;
  /** The version as the partners number it ("1.1"); Accord's own version stays 1, 2, ... */
  versionLabel?: string;
  /** Days of notice a termination or withdrawal must give; none when absent. */
  noticePeriodDays?: number;
  /** Sharing and opening need data-protection training completed within this many months (clause 7.0). */
  requireTrainingWithinMonths?: number;
};

/** A purpose as the edge may write it: plain text, or (tier 2) text naming the parent purpose it narrows. */
export type PurposeInput = string | { text: string; narrows?: string | null };

/** Raw terms as they arrive from the edge. */
export interface AgreementTermsInput {
  title: string;
  purposes: PurposeInput[];
  /** The same as `{text, narrows}` purposes, as a map from purpose text to the parent purpose. */
  purposeNarrows?: Record<string, string> | null;
  dataProtectionContacts?: Record<string, { name: string; email: string }> | null;
  dpiaReference?: string | null;
  privacyNoticeUrls?: Record<string, string> | null;
  legalGateways?: string[] | null;
  otherLegalGateways?: string[] | null;
  ratifiedOn?: string | null;
  firstReviewDue?: string | null;
  firstReviewAfterMonths?: number | null;
  versionLabel?: string | null;
  noticePeriodDays?: number | null;
  requireTrainingWithinMonths?: number | null;
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
  'purposeNarrows',
  'dataProtectionContacts',
  'dpiaReference',
  'privacyNoticeUrls',
  'legalGateways',
  'otherLegalGateways',
  'ratifiedOn',
  'firstReviewDue',
  'firstReviewAfterMonths',
  'versionLabel',
  'noticePeriodDays',
  'requireTrainingWithinMonths',
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
  const { purposes, narrows } = purposesOf(input);
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
    ...validParticulars(input, parties),
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
    if (Object.keys(narrows).length > 0) {
      throw fail('agreement.purpose-narrows-invalid', 'only a tier-2 purpose narrows a parent purpose');
    }
    return terms;
  }
  if (!parentId) throw fail('agreement.parent-required');
  const purposeNarrows = checkWithinParent(terms, narrows, parent, now);
  return {
    ...terms,
    parentId,
    ...(Object.keys(purposeNarrows).length > 0 ? { purposeNarrows } : {}),
  };
}

const MAX_PARTICULAR_LENGTH = 300;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const bad = (field: string, detail: string) => fail('agreement.particulars-invalid', detail, { field });

function shortText(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  const text = nonBlank(value)?.replace(/\s+/g, ' ');
  if (!text || text.length > MAX_PARTICULAR_LENGTH) {
    throw bad(field, `${field} is text of 1 to ${MAX_PARTICULAR_LENGTH} characters`);
  }
  return text;
}

function dateOnly(value: unknown, field: string): string | undefined {
  if (value === undefined || value === null) return undefined;
  const date = typeof value === 'string' ? parseDateOnly(value.trim()) : undefined;
  if (!date) throw bad(field, `${field} is a date, YYYY-MM-DD`);
  return date.toISOString().slice(0, 10);
}

/** A map keyed by party: every key a party of the agreement. */
function byParty<T>(
  value: unknown,
  field: string,
  parties: readonly string[],
  each: (v: unknown) => T | undefined,
): Record<string, T> | undefined {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) throw bad(field, `${field} is keyed by party`);
  const result: Record<string, T> = {};
  for (const [orgId, v] of Object.entries(value as Record<string, unknown>)) {
    if (!parties.includes(orgId)) throw bad(field, `${field} names an organisation that is not a party`);
    const checked = each(v);
    if (checked === undefined) throw bad(field, `${field} has an invalid entry`);
    result[orgId] = checked;
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

/** The particulars (docs/architecture.md §28), checked; only those given are returned. */
function validParticulars(input: AgreementTermsInput, parties: readonly string[]): AgreementParticulars {
  const p: AgreementParticulars = {};
  const contacts = byParty(input.dataProtectionContacts, 'dataProtectionContacts', parties, (v) => {
    const c = (v ?? {}) as { name?: unknown; email?: unknown };
    const name = nonBlank(c.name);
    const email = nonBlank(c.email);
    if (!name || name.length > MAX_PARTICULAR_LENGTH || !email || !EMAIL.test(email)) return undefined;
    return { name: name.replace(/\s+/g, ' '), email };
  });
  if (contacts) p.dataProtectionContacts = contacts;
  const dpia = shortText(input.dpiaReference, 'dpiaReference');
  if (dpia) p.dpiaReference = dpia;
  const notices = byParty(input.privacyNoticeUrls, 'privacyNoticeUrls', parties, (v) => {
    try {
      const url = new URL(String(v));
      return url.protocol === 'https:' && String(v).length <= 2000 ? url.toString() : undefined;
    } catch {
      return undefined;
    }
  });
  if (notices) p.privacyNoticeUrls = notices;
  if (input.legalGateways !== undefined && input.legalGateways !== null) {
    const gateways = texts(input.legalGateways);
    const unknown = gateways.filter((g) => !isLegalGateway(g));
    if (!Array.isArray(input.legalGateways) || unknown.length > 0) {
      throw fail(
        'agreement.legal-gateway-invalid',
        'legal gateways come from the vocabulary; others go in otherLegalGateways',
        {
          legalGateways: unknown.map(codeOrMarker),
        },
      );
    }
    if (gateways.length > 0) p.legalGateways = gateways as LegalGateway[];
  }
  if (input.otherLegalGateways !== undefined && input.otherLegalGateways !== null) {
    const other = texts(input.otherLegalGateways);
    if (other.some((o) => o.length > MAX_PARTICULAR_LENGTH)) {
      throw bad('otherLegalGateways', `each of up to ${MAX_PARTICULAR_LENGTH} characters`);
    }
    if (other.length > 0) p.otherLegalGateways = other;
  }
  const ratifiedOn = dateOnly(input.ratifiedOn, 'ratifiedOn');
  if (ratifiedOn) p.ratifiedOn = ratifiedOn;
  const firstReviewDue = dateOnly(input.firstReviewDue, 'firstReviewDue');
  if (firstReviewDue) p.firstReviewDue = firstReviewDue;
  const after = input.firstReviewAfterMonths;
  if (after !== undefined && after !== null) {
    if (
      !Number.isInteger(after) ||
      after < MIN_REVIEW_INTERVAL_MONTHS ||
      after > MAX_REVIEW_INTERVAL_MONTHS
    ) {
      throw bad(
        'firstReviewAfterMonths',
        `a whole number of months from ${MIN_REVIEW_INTERVAL_MONTHS} to ${MAX_REVIEW_INTERVAL_MONTHS}`,
      );
    }
    p.firstReviewAfterMonths = after;
  }
  const notice = input.noticePeriodDays;
  if (notice !== undefined && notice !== null) {
    if (!Number.isInteger(notice) || notice < 0 || notice > 730) {
      throw bad('noticePeriodDays', 'a whole number of days from 0 to 730');
    }
    p.noticePeriodDays = notice;
  }
  const training = input.requireTrainingWithinMonths;
  if (training !== undefined && training !== null) {
    if (!Number.isInteger(training) || training < 1 || training > 120) {
      throw bad('requireTrainingWithinMonths', 'a whole number of months from 1 to 120');
    }
    p.requireTrainingWithinMonths = training;
  }
  const label = shortText(input.versionLabel, 'versionLabel');
  if (label) {
    if (label.length > 40) throw bad('versionLabel', 'a version label of up to 40 characters, such as 1.1');
    p.versionLabel = label;
  }
  return p;
}

/**
 * Purposes as text, and what each names as the parent purpose it narrows: from `{text, narrows}` entries
 * and from a `purposeNarrows` map (the form stored terms take, so an amendment can replay them).
 */
function purposesOf(input: AgreementTermsInput): { purposes: string[]; narrows: Record<string, string> } {
  const raw: unknown[] = Array.isArray(input.purposes) ? input.purposes : [];
  const narrows: Record<string, string> = {};
  const map = input.purposeNarrows;
  const mapped = map && typeof map === 'object' && !Array.isArray(map) ? map : {};
  const textOf = (p: unknown) => nonBlank(p)?.replace(/\s+/g, ' ');
  const purposes = texts(
    raw.map((p) => {
      if (p === null || typeof p !== 'object') return p;
      const text = textOf((p as { text?: unknown }).text);
      const parentPurpose = textOf((p as { narrows?: unknown }).narrows);
      if (text && parentPurpose) narrows[text] = parentPurpose;
      return text;
    }),
  );
  for (const purpose of purposes) {
    const parentPurpose = textOf(mapped[purpose]);
    if (parentPurpose && narrows[purpose] === undefined) narrows[purpose] = parentPurpose;
  }
  return { purposes, narrows };
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
  // DPA 2018 s10(2)-(3): some Article 9 conditions are met only with their Schedule 1 condition.
  const unmet = art9WithoutSchedule1(lawfulBases);
  if (unmet.length > 0) {
    throw fail(
      'agreement.schedule1-condition-required',
      'Article 9(2)(g) needs a DPA 2018 Schedule 1 Part 2 condition; 9(2)(b), (h), (i) and (j) their Part 1 condition (paras 1 to 4)',
      { lawfulBases: unmet },
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

/**
 * A tier-2 agreement operates inside its tier-1 parent: no party, data category or lawful basis beyond it,
 * no longer retention, and each purpose either one of the parent's or naming the parent purpose it narrows.
 * Returns the narrowing of each purpose that is not word for word the parent's.
 */
function checkWithinParent(
  terms: AgreementTerms,
  narrows: Record<string, string>,
  parent: AgreementState | undefined,
  now: Date,
): Record<string, string> {
  if (!parent || parent.status === 'none') throw fail('agreement.parent-not-found');
  if (currentTerms(parent).tier !== 1) throw fail('agreement.parent-not-tier-1');
  if (isTerminatedAt(parent, now)) throw fail('agreement.parent-terminated');
  // The parent's terms in force bound the child; a parent's amendment not yet signed widens nothing.
  const scope = parent.activeTerms ?? currentTerms(parent);
  const fields = [
    ['parties', terms.parties, scope.parties],
    ['dataCategories', terms.dataCategories, scope.dataCategories],
    ['lawfulBases', terms.lawfulBases, scope.lawfulBases],
  ] as const;
  for (const [field, values, allowed] of fields) {
    if (!isSubset<string>(values, allowed)) {
      // Party ids, category codes and lawful-basis codes are safe to echo.
      const extra: DomainErrorExtra = { field, values: outside<string>(values, allowed) };
      throw fail('agreement.outside-parent-scope', `${field} must fall within the parent agreement's`, extra);
    }
  }
  if (!retentionWithin(terms.retentionPeriod, scope.retentionPeriod)) {
    throw fail('agreement.outside-parent-scope', "retentionPeriod must not exceed the parent agreement's", {
      field: 'retentionPeriod',
      values: [terms.retentionPeriod],
      parentRetentionPeriod: scope.retentionPeriod,
    });
  }
  return narrowedPurposes(terms.purposes, narrows, scope.purposes);
}

/** A retention period no longer than the parent's, measured from the same day (P1Y and P12M are equal). */
function retentionWithin(child: string, parent: string): boolean {
  const from = new Date(Date.UTC(2000, 0, 1));
  const c = addIsoDuration(from, child);
  const p = addIsoDuration(from, parent);
  return !!c && !!p && c.getTime() <= p.getTime();
}

function narrowedPurposes(
  purposes: readonly string[],
  narrows: Record<string, string>,
  parentPurposes: readonly string[],
): Record<string, string> {
  const result: Record<string, string> = {};
  for (const purpose of purposes) {
    if (parentPurposes.includes(purpose)) continue;
    const parentPurpose = narrows[purpose];
    // Purposes are free text, so only the field is named, never the text.
    if (parentPurpose === undefined) {
      throw fail(
        'agreement.purpose-narrows-invalid',
        'each purpose of a tier-2 agreement is one of the parent\'s or names the parent purpose it narrows ({"text", "narrows"})',
        { field: 'purposes' },
      );
    }
    if (!parentPurposes.includes(parentPurpose)) {
      throw fail(
        'agreement.purpose-narrows-invalid',
        'a purpose narrows a purpose the parent does not have',
        {
          field: 'purposes',
        },
      );
    }
    result[purpose] = parentPurpose;
  }
  return result;
}

/** The normalised fields that differ; an amendment that changes only the document's text has none. */
export function diffTerms(before: AgreementTerms, after: AgreementTerms): AgreementChanges {
  const changes: Record<string, unknown> = {};
  for (const field of AMENDABLE_FIELDS) {
    if (JSON.stringify(before[field]) === JSON.stringify(after[field])) continue;
    // Left out when false or emptied, yet an event cannot carry undefined: requirePurposeConfirmation is
    // recorded as false and an emptied narrowing as {}, so folding the change clears it.
    changes[field] =
      field === 'purposeNarrows'
        ? (after[field] ?? {})
        : field === 'requirePurposeConfirmation'
          ? (after[field] ?? false)
          : after[field];
  }
  return changes as AgreementChanges;
}

export function applyChanges(terms: AgreementTerms, changes: AgreementChanges): AgreementTerms {
  const next = { ...terms, ...changes };
  if (next.purposeNarrows && Object.keys(next.purposeNarrows).length === 0) delete next.purposeNarrows;
  return next;
}

/**
 * Clause 6.0 of the ISAs Accord carries: the information stays in the UK, so an agreement naming a party
 * outside it cannot be drafted, amended to include one, or activated. `partiesOutsideUk` is loaded by the
 * handler from the organisations' jurisdictions.
 */
/**
 * Clause 7.0: where the terms require it, a user shares or opens only with data-protection training
 * completed within the stated months (`trainedOn`, `YYYY-MM-DD`, from the user's stream).
 */
export function trainingCurrent(terms: AgreementTerms, trainedOn: string | undefined, now: Date): boolean {
  const months = terms.requireTrainingWithinMonths;
  if (months === undefined) return true;
  const on = trainedOn ? parseDateOnly(trainedOn) : undefined;
  return !!on && addMonthsUtc(on, months).getTime() > now.getTime();
}

export function checkPartiesInUk(
  parties: readonly string[],
  partiesOutsideUk: readonly string[] | undefined,
): void {
  const abroad = parties.filter((p) => partiesOutsideUk?.includes(p));
  if (abroad.length > 0) {
    throw fail(
      'agreement.party-outside-uk-clause-6-0',
      'clause 6.0: information shared under the agreement stays in the UK, so every party must be a UK organisation',
      { organisations: abroad, clause: '6.0' },
    );
  }
}

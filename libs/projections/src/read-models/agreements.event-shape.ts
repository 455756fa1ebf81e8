import type { JsonObject, JsonValue } from '@accord/event-store';

const text = (v: JsonValue | undefined): boolean => typeof v === 'string';
const whole = (v: JsonValue | undefined): boolean => Number.isInteger(v);
const texts = (v: JsonValue | undefined): boolean =>
  Array.isArray(v) && v.every((x) => typeof x === 'string');

const TERM_CHECKS: Record<string, (v: JsonValue | undefined) => boolean> = {
  title: text,
  purposes: texts,
  tier: (v) => v === 1 || v === 2,
  category: text,
  leadOrg: text,
  parties: texts,
  lawfulBases: texts,
  dataCategories: texts,
  retentionPeriod: text,
  reviewIntervalMonths: whole,
};

const record = (v: JsonValue | undefined): boolean =>
  v !== null && typeof v === 'object' && !Array.isArray(v);

/** Terms an agreement may or may not state (docs/architecture.md §28), checked only when present. */
const OPTIONAL_TERM_CHECKS: Record<string, (v: JsonValue | undefined) => boolean> = {
  parentId: text,
  purposeNarrows: record,
  dataProtectionContacts: record,
  dpiaReference: text,
  privacyNoticeUrls: record,
  legalGateways: texts,
  otherLegalGateways: texts,
  ratifiedOn: text,
  firstReviewDue: text,
  firstReviewAfterMonths: whole,
  versionLabel: text,
  noticePeriodDays: whole,
  requireTrainingWithinMonths: whole,
};

/** Every field of a full set of terms (AgreementDrafted); `parentId` optional. */
function fullTerms(d: JsonObject): boolean {
  return (
    Object.entries(TERM_CHECKS).every(([field, ok]) => ok(d[field])) &&
    Object.entries(OPTIONAL_TERM_CHECKS).every(([field, ok]) => d[field] === undefined || ok(d[field]))
  );
}

/** Changed fields only (AgreementAmended), each of the right type. */
function changedTerms(changes: JsonValue | undefined): boolean {
  if (changes === null || typeof changes !== 'object' || Array.isArray(changes)) return false;
  return Object.entries(changes).every(
    ([field, value]) => (TERM_CHECKS[field] ?? OPTIONAL_TERM_CHECKS[field])?.(value) ?? false,
  );
}

/**
 * The deciders only ever write well-formed agreement events; one appended by hand (a test, a repair) that
 * is not must be skipped by the read models rather than throw, because a throwing batch is retried forever
 * and would hold every other read model behind it.
 */
export function isWellFormedAgreementEvent(type: string, d: JsonObject): boolean {
  switch (type) {
    case 'AgreementDrafted':
      return fullTerms(d);
    case 'AgreementImported': {
      const versions = d['versions'];
      return (
        text(d['source']) &&
        text(d['importedBy']) &&
        text(d['importedAt']) &&
        Array.isArray(versions) &&
        versions.length > 0 &&
        versions.every(
          (v) =>
            record(v) &&
            whole((v as JsonObject)['version']) &&
            record((v as JsonObject)['terms']) &&
            fullTerms((v as JsonObject)['terms'] as JsonObject) &&
            Array.isArray((v as JsonObject)['signatures']),
        )
      );
    }
    case 'AgreementAmended':
      return whole(d['version']) && text(d['reasonForChange']) && changedTerms(d['changes']);
    case 'AgreementSigned':
      return ['orgId', 'signatory', 'position', 'signedAt'].every((f) => text(d[f])) && whole(d['version']);
    case 'AgreementActivated':
      return (
        whole(d['version']) &&
        text(d['activatedAt']) &&
        (d['firstReviewDue'] === undefined || text(d['firstReviewDue']))
      );
    case 'AgreementReviewed':
      return text(d['reviewedAt']) && text(d['nextReviewDue']);
    case 'AgreementSuspended':
    case 'AgreementReinstated':
      return text(d['reason']);
    case 'AgreementTerminated':
      return text(d['noticeServedBy']) && text(d['effectiveAt']);
    case 'PartyWithdrawn':
      return text(d['orgId']) && text(d['effectiveAt']);
    default:
      return false;
  }
}

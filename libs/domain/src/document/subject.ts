import { hasInvisibleCharacters } from '../shared/text';
import { normaliseNhsNumber } from '../vocabularies/nhs-number';
import { refuse } from './document.errors';

/**
 * docs/architecture.md §5.5: an NHS number (modulus-11 checked) or an organisation's local case reference.
 */
export const SUBJECT_SCHEMES = ['nhs-number', 'local-ref'] as const;
export type SubjectScheme = (typeof SUBJECT_SCHEMES)[number];

export interface SubjectIdentifier {
  scheme: SubjectScheme;
  /** Normalised: what the HMAC is computed over, so spacing and case never split one subject in two. */
  value: string;
}

export const MAX_LOCAL_REF_LENGTH = 100;

/**
 * Validates and normalises a subject identifier before it is turned into
 * `subjectRef = HMAC-SHA256(secret, scheme + ":" + value)` (the HMAC is the edge's: it needs node:crypto).
 * NHS numbers lose spaces and hyphens; local references lose surrounding and inner whitespace and are
 * upper-cased (case-insensitive in every case-management system seen). Control and format characters
 * (a zero-width space or a bidi mark pasted with the reference) are refused, not kept: kept, they would
 * silently make another subject, whose access or erasure request finds none of the person's documents.
 * Errors never echo the value.
 */
export function normaliseSubject(scheme: unknown, value: unknown): SubjectIdentifier {
  if (scheme === 'nhs-number') {
    const digits = normaliseNhsNumber(value);
    if (!digits)
      throw refuse('subject.nhs-number-invalid', 'an NHS number is ten digits with a valid check digit');
    return { scheme, value: digits };
  }
  if (scheme === 'local-ref') {
    const ref = typeof value === 'string' ? value.replace(/\s+/g, '').toUpperCase() : '';
    if (ref.length === 0 || ref.length > MAX_LOCAL_REF_LENGTH || hasInvisibleCharacters(ref)) {
      throw refuse(
        'subject.value-invalid',
        `a local reference is 1 to ${MAX_LOCAL_REF_LENGTH} printable characters`,
      );
    }
    return { scheme, value: ref };
  }
  throw refuse('subject.scheme-invalid', `the scheme is one of ${SUBJECT_SCHEMES.join(', ')}`);
}

/** The text the subject reference's HMAC is computed over. */
export const subjectRefInput = (subject: SubjectIdentifier): string => `${subject.scheme}:${subject.value}`;

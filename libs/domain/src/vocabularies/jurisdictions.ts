/**
 * ISO 3166-2 subdivision codes for the UK nations; any other country by its ISO 3166-1 alpha-2 code. A
 * non-UK organisation may be registered but never receives a document (UK-only transfers,
 * docs/architecture.md §9.4).
 */
export const UK_JURISDICTIONS = ['GB-ENG', 'GB-WLS', 'GB-SCT', 'GB-NIR'] as const;

export type UkJurisdiction = (typeof UK_JURISDICTIONS)[number];
/** A UK nation code or another country's alpha-2 code, as normalised by `normaliseJurisdiction`. */
export type Jurisdiction = string;

const COUNTRY = /^[A-Z]{2}$/;
/**
 * Bare `GB` would hide which nation's law applies, and `UK` is only reserved in ISO 3166-1: either would be
 * read as a foreign country by a shape check and silently block a UK partner, so both are refused.
 */
const AMBIGUOUS = new Set(['GB', 'UK']);

export function normaliseJurisdiction(value: unknown): Jurisdiction | undefined {
  if (typeof value !== 'string') return undefined;
  const code = value.trim().toUpperCase();
  if ((UK_JURISDICTIONS as readonly string[]).includes(code)) return code;
  return COUNTRY.test(code) && !AMBIGUOUS.has(code) ? code : undefined;
}

export function isJurisdiction(value: unknown): value is Jurisdiction {
  return typeof value === 'string' && normaliseJurisdiction(value) === value;
}

export function isUk(jurisdiction: string): jurisdiction is UkJurisdiction {
  return (UK_JURISDICTIONS as readonly string[]).includes(jurisdiction);
}

/** The categories the seed partnership files its agreements under; others are accepted as free text. */
export const KNOWN_AGREEMENT_CATEGORIES = [
  'Health and Wellbeing',
  'Learning and Education',
  'Safer Community',
  'Growing the Economy',
] as const;

export const MAX_AGREEMENT_CATEGORY_LENGTH = 120;

/** Known categories keep their canonical spelling whatever the case typed, so the register groups them. */
export function normaliseAgreementCategory(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const text = value.trim().replace(/\s+/g, ' ');
  if (text.length === 0 || text.length > MAX_AGREEMENT_CATEGORY_LENGTH) return undefined;
  return KNOWN_AGREEMENT_CATEGORIES.find((known) => known.toLowerCase() === text.toLowerCase()) ?? text;
}

/**
 * The domain's own vocabularies (plain data, no I/O), bundled into the app so the forms offer exactly the
 * codes the api accepts, with the labels the register and the CLI use. One copy: libs/domain.
 */
import { KNOWN_AGREEMENT_CATEGORIES } from '../../../../libs/domain/src/vocabularies/agreement-categories';
import { DATA_CATEGORIES } from '../../../../libs/domain/src/vocabularies/data-categories';
import {
  isLawfulBasis,
  LAWFUL_BASES,
  lawfulBasisCitation,
} from '../../../../libs/domain/src/vocabularies/lawful-bases';
import type { Choice } from './choices';

export { KNOWN_AGREEMENT_CATEGORIES };

const FAMILY_HEADINGS = {
  art6: 'UK GDPR Article 6',
  art9: 'UK GDPR Article 9 (special category data)',
  sch1: 'DPA 2018 Schedule 1 (conditions)',
  part3: 'DPA 2018 Part 3 (law enforcement)',
} as const;

export type LawfulBasisFamily = keyof typeof FAMILY_HEADINGS;

export const lawfulBasisFamilies = Object.keys(FAMILY_HEADINGS) as LawfulBasisFamily[];

export const familyHeading = (family: LawfulBasisFamily): string => FAMILY_HEADINGS[family];

export function lawfulBasisChoices(family: LawfulBasisFamily): Choice[] {
  return Object.entries(LAWFUL_BASES)
    .filter(([, entry]) => entry.family === family)
    .map(([code, entry]) => ({ value: code, label: entry.label, hint: code }));
}

const CLASS_HINT = {
  ordinary: undefined,
  'special-category': 'Special category (needs an Article 9 condition)',
  'criminal-offence': 'Criminal offence data (needs a Schedule 1 or Part 3 condition)',
} as const;

export const dataCategoryChoices: Choice[] = Object.entries(DATA_CATEGORIES).map(([code, entry]) => ({
  value: code,
  label: entry.label,
  hint: CLASS_HINT[entry.classification],
}));

export function lawfulBasisLabel(code: string): string {
  const entry = (LAWFUL_BASES as Record<string, { label: string } | undefined>)[code];
  return entry ? `${entry.label} (${code})` : code;
}

/**
 * A basis in plain English with where the law states it, for readers who do not know the codes:
 * "Public task (UK GDPR Article 6(1)(e))". A code outside the vocabulary is shown as it is.
 */
export function lawfulBasisInWords(code: string): string {
  if (!isLawfulBasis(code)) return code;
  const citation = lawfulBasisCitation(code);
  return citation ? `${LAWFUL_BASES[code].label} (${citation})` : LAWFUL_BASES[code].label;
}

export function dataCategoryLabel(code: string): string {
  return (DATA_CATEGORIES as Record<string, { label: string } | undefined>)[code]?.label ?? code;
}

/** An agreement's retention period as words ("6 years"); a period outside Y/M/D is shown as it is. */
export const retentionInWords = (iso: string): string => {
  const m = /^P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)D)?$/.exec(iso);
  if (!m) return iso;
  const parts = [
    m[1] ? `${m[1]} year${m[1] === '1' ? '' : 's'}` : '',
    m[2] ? `${m[2]} month${m[2] === '1' ? '' : 's'}` : '',
    m[3] ? `${m[3]} day${m[3] === '1' ? '' : 's'}` : '',
  ].filter(Boolean);
  return parts.join(' ') || iso;
};

/**
 * Lawful bases an agreement may cite. Every agreement needs an Article 6 basis (or, for competent
 * authorities' law-enforcement processing, DPA 2018 Part 3); special-category data also needs an Article 9
 * condition; criminal-offence data a DPA 2018 Schedule 1 condition (s10(5): any Part of the Schedule) or Part 3.
 */
export type LawfulBasisFamily = 'art6' | 'art9' | 'sch1' | 'part3';

type Entry = { family: LawfulBasisFamily; label: string };
const art6 = (label: string): Entry => ({ family: 'art6', label });
const art9 = (label: string): Entry => ({ family: 'art9', label });
const sch1 = (label: string): Entry => ({ family: 'sch1', label });

export const LAWFUL_BASES = {
  'uk-gdpr-art6-1-a': art6('Consent'),
  'uk-gdpr-art6-1-b': art6('Contract'),
  'uk-gdpr-art6-1-c': art6('Legal obligation'),
  'uk-gdpr-art6-1-d': art6('Vital interests'),
  'uk-gdpr-art6-1-e': art6('Public task'),
  'uk-gdpr-art6-1-f': art6('Legitimate interests'),

  'uk-gdpr-art9-2-a': art9('Explicit consent'),
  'uk-gdpr-art9-2-b': art9('Employment, social security and social protection law'),
  'uk-gdpr-art9-2-c': art9('Vital interests'),
  'uk-gdpr-art9-2-d': art9('Not-for-profit bodies'),
  'uk-gdpr-art9-2-e': art9('Made public by the data subject'),
  'uk-gdpr-art9-2-f': art9('Legal claims or judicial acts'),
  'uk-gdpr-art9-2-g': art9('Reasons of substantial public interest'),
  'uk-gdpr-art9-2-h': art9('Health or social care'),
  'uk-gdpr-art9-2-i': art9('Public health'),
  'uk-gdpr-art9-2-j': art9('Archiving, research and statistics'),

  // Schedule 1 Part 1: conditions relating to employment, health and research etc.
  'dpa2018-sch1-pt1-para1': sch1('Employment, social security and social protection'),
  'dpa2018-sch1-pt1-para2': sch1('Health or social care purposes'),
  'dpa2018-sch1-pt1-para3': sch1('Public health'),
  'dpa2018-sch1-pt1-para4': sch1('Research etc'),
  // Schedule 1 Part 2: substantial public interest conditions (para 5 is the policy-document requirement).
  'dpa2018-sch1-pt2-para6': sch1('Statutory and government purposes'),
  'dpa2018-sch1-pt2-para7': sch1('Administration of justice and parliamentary purposes'),
  'dpa2018-sch1-pt2-para8': sch1('Equality of opportunity or treatment'),
  'dpa2018-sch1-pt2-para9': sch1('Racial and ethnic diversity at senior levels of organisations'),
  'dpa2018-sch1-pt2-para10': sch1('Preventing or detecting unlawful acts'),
  'dpa2018-sch1-pt2-para11': sch1('Protecting the public'),
  'dpa2018-sch1-pt2-para12': sch1('Regulatory requirements'),
  'dpa2018-sch1-pt2-para13': sch1('Journalism in connection with unlawful acts and dishonesty'),
  'dpa2018-sch1-pt2-para14': sch1('Preventing fraud'),
  'dpa2018-sch1-pt2-para15': sch1('Suspicion of terrorist financing or money laundering'),
  'dpa2018-sch1-pt2-para16': sch1(
    'Support for individuals with a particular disability or medical condition',
  ),
  'dpa2018-sch1-pt2-para17': sch1('Counselling'),
  'dpa2018-sch1-pt2-para18': sch1('Safeguarding of children and of individuals at risk'),
  'dpa2018-sch1-pt2-para19': sch1('Safeguarding of economic well-being of certain individuals'),
  'dpa2018-sch1-pt2-para20': sch1('Insurance'),
  'dpa2018-sch1-pt2-para21': sch1('Occupational pensions'),
  'dpa2018-sch1-pt2-para22': sch1('Political parties'),
  'dpa2018-sch1-pt2-para23': sch1('Elected representatives responding to requests'),
  'dpa2018-sch1-pt2-para24': sch1('Disclosure to elected representatives'),
  'dpa2018-sch1-pt2-para25': sch1('Informing elected representatives about prisoners'),
  'dpa2018-sch1-pt2-para26': sch1('Publication of legal judgments'),
  'dpa2018-sch1-pt2-para27': sch1('Anti-doping in sport'),
  'dpa2018-sch1-pt2-para28': sch1('Standards of behaviour in sport'),
  // Schedule 1 Part 3: additional conditions relating to criminal convictions etc.
  'dpa2018-sch1-pt3-para29': sch1('Consent'),
  'dpa2018-sch1-pt3-para30': sch1("Protecting individual's vital interests"),
  'dpa2018-sch1-pt3-para31': sch1('Processing by not-for-profit bodies'),
  'dpa2018-sch1-pt3-para32': sch1('Personal data in the public domain'),
  'dpa2018-sch1-pt3-para33': sch1('Legal claims'),
  'dpa2018-sch1-pt3-para34': sch1('Judicial acts'),
  'dpa2018-sch1-pt3-para35': sch1(
    'Administration of accounts used in commission of indecency offences involving children',
  ),
  'dpa2018-sch1-pt3-para36': sch1(
    'Extension of conditions in Part 2 referring to substantial public interest',
  ),
  'dpa2018-sch1-pt3-para37': sch1('Extension of insurance conditions'),

  'dpa2018-part3': {
    family: 'part3',
    label: 'Law enforcement processing by a competent authority (DPA 2018 Part 3)',
  },
} as const satisfies Record<string, Entry>;

export type LawfulBasis = keyof typeof LAWFUL_BASES;

export function isLawfulBasis(value: unknown): value is LawfulBasis {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(LAWFUL_BASES, value);
}

export function lawfulBasisFamily(basis: LawfulBasis): LawfulBasisFamily {
  return LAWFUL_BASES[basis].family;
}

export function isArt6(basis: LawfulBasis): boolean {
  return lawfulBasisFamily(basis) === 'art6';
}

export function isArt9(basis: LawfulBasis): boolean {
  return lawfulBasisFamily(basis) === 'art9';
}

/**
 * Where the law states a basis, as a reader finds it in the legislation ("UK GDPR Article 6(1)(e)",
 * "DPA 2018 Schedule 1 paragraph 18"), read off the code so there is no second list to keep in step.
 * Null for `dpa2018-part3`, whose label already names the Part.
 */
export function lawfulBasisCitation(basis: LawfulBasis): string | null {
  const gdpr = /^uk-gdpr-art(\d)-(\d)-([a-j])$/.exec(basis);
  if (gdpr) return `UK GDPR Article ${gdpr[1]}(${gdpr[2]})(${gdpr[3]})`;
  const schedule = /^dpa2018-sch1-pt\d-para(\d+)$/.exec(basis);
  if (schedule) return `DPA 2018 Schedule 1 paragraph ${schedule[1]}`;
  return null;
}

/** The conditions that permit processing criminal-offence data. */
export function isSchedule1OrPart3(basis: LawfulBasis): boolean {
  const family = lawfulBasisFamily(basis);
  return family === 'sch1' || family === 'part3';
}

/**
 * DPA 2018 s10(2)-(3): Article 9(2)(b), (h), (i) and (j) are met only with a condition in Schedule 1 Part 1
 * (paras 1 to 4, one each), and 9(2)(g) only with one in Part 2 (paras 6 to 28).
 */
const PART2_CONDITIONS = (Object.keys(LAWFUL_BASES) as LawfulBasis[]).filter((b) =>
  b.startsWith('dpa2018-sch1-pt2-'),
);
export const SCHEDULE1_CONDITIONS_FOR_ART9: Partial<Record<LawfulBasis, readonly LawfulBasis[]>> = {
  'uk-gdpr-art9-2-b': ['dpa2018-sch1-pt1-para1'],
  'uk-gdpr-art9-2-g': PART2_CONDITIONS,
  'uk-gdpr-art9-2-h': ['dpa2018-sch1-pt1-para2'],
  'uk-gdpr-art9-2-i': ['dpa2018-sch1-pt1-para3'],
  'uk-gdpr-art9-2-j': ['dpa2018-sch1-pt1-para4'],
};

/** The Article 9 conditions among `bases` whose Schedule 1 condition is missing. */
export function art9WithoutSchedule1(bases: readonly LawfulBasis[]): LawfulBasis[] {
  return bases.filter((b) => {
    const needs = SCHEDULE1_CONDITIONS_FOR_ART9[b];
    return needs !== undefined && !needs.some((c) => bases.includes(c));
  });
}

/**
 * Each data category is ordinary, special category (UK GDPR Art 9(1)) or criminal offence (UK GDPR Art 10;
 * DPA 2018 s11(2) includes allegations, investigations and proceedings, not only convictions). The class
 * decides which lawful conditions an agreement must hold (docs/architecture.md §9.3).
 */
export type DataClassification = 'ordinary' | 'special-category' | 'criminal-offence';

export const DATA_CATEGORIES = {
  name: { classification: 'ordinary', label: 'Name' },
  address: { classification: 'ordinary', label: 'Address' },
  'date-of-birth': { classification: 'ordinary', label: 'Date of birth' },
  age: { classification: 'ordinary', label: 'Age' },
  gender: { classification: 'ordinary', label: 'Gender' },
  'family-members': { classification: 'ordinary', label: 'Family members' },
  'contact-details': { classification: 'ordinary', label: 'Contact details' },
  education: { classification: 'ordinary', label: 'Education' },
  // An identifier, not health data in itself; records about care are `health`.
  'nhs-number': { classification: 'ordinary', label: 'NHS number' },
  'legal-status': { classification: 'ordinary', label: 'Legal status' },
  'adult-safeguarding-concerns': { classification: 'ordinary', label: 'Adult safeguarding concerns' },
  'abuse-descriptions': { classification: 'ordinary', label: 'Descriptions of abuse' },
  health: { classification: 'special-category', label: 'Health' },
  disability: { classification: 'special-category', label: 'Disability' },
  race: { classification: 'special-category', label: 'Race' },
  ethnicity: { classification: 'special-category', label: 'Ethnic origin' },
  religion: { classification: 'special-category', label: 'Religious beliefs' },
  'philosophical-beliefs': { classification: 'special-category', label: 'Philosophical beliefs' },
  'political-opinions': { classification: 'special-category', label: 'Political opinions' },
  'trade-union-membership': { classification: 'special-category', label: 'Trade union membership' },
  genetic: { classification: 'special-category', label: 'Genetic data' },
  biometric: { classification: 'special-category', label: 'Biometric data (for identification)' },
  'sexual-life': { classification: 'special-category', label: 'Sex life' },
  'sexual-orientation': { classification: 'special-category', label: 'Sexual orientation' },
  'criminal-investigations': {
    classification: 'criminal-offence',
    label: 'Criminal allegations and investigations',
  },
  'criminal-convictions': { classification: 'criminal-offence', label: 'Criminal convictions and offences' },
} as const satisfies Record<string, { classification: DataClassification; label: string }>;

export type DataCategory = keyof typeof DATA_CATEGORIES;

export function isDataCategory(value: unknown): value is DataCategory {
  return typeof value === 'string' && Object.prototype.hasOwnProperty.call(DATA_CATEGORIES, value);
}

export function classificationOf(category: DataCategory): DataClassification {
  return DATA_CATEGORIES[category].classification;
}

export function isSpecialCategory(category: DataCategory): boolean {
  return classificationOf(category) === 'special-category';
}

export function isCriminalOffence(category: DataCategory): boolean {
  return classificationOf(category) === 'criminal-offence';
}

/**
 * The seed agreement of ARCHITECTURE 5.2 (shared/fixtures/staffordshire-sscb-isa-2023.json), carried inside
 * the CLI so `accord demo` runs from an installed package with no checkout beside it. A public document;
 * the organisation ids are ours.
 */
export const DEMO_ORGANISATIONS = [
  { id: 'staffordshire-cc', name: 'Staffordshire County Council', kind: 'local-authority' },
  { id: 'staffordshire-police', name: 'Staffordshire Police', kind: 'police' },
  { id: 'sst-icb', name: 'Staffordshire and Stoke-on-Trent Integrated Care Board', kind: 'health' },
  { id: 'uhnm', name: 'University Hospitals of North Midlands NHS Trust', kind: 'health' },
  { id: 'uhdb', name: 'University Hospitals of Derby and Burton NHS Trust', kind: 'health' },
  { id: 'mpft', name: 'Midlands Partnership NHS Foundation Trust', kind: 'health' },
  { id: 'nscht', name: 'North Staffordshire Combined Healthcare NHS Trust', kind: 'health' },
  { id: 'probation', name: 'Probation Service', kind: 'probation' },
  { id: 'cafcass', name: 'CAFCASS', kind: 'central-government' },
  { id: 'staffs-yos', name: 'Youth Offending Service', kind: 'youth-justice' },
  { id: 'werrington-yoi', name: 'Werrington Young Offender Institution', kind: 'youth-justice' },
].map((org) => ({ ...org, jurisdiction: 'GB-ENG' }));

export const DEMO_AGREEMENT = {
  title: 'Staffordshire Safeguarding Children Board Information Sharing Agreement',
  tier: 1,
  category: 'Safer Community',
  leadOrg: 'staffordshire-cc',
  parties: DEMO_ORGANISATIONS.map((org) => org.id),
  purposes: [
    'protecting children from maltreatment',
    "preventing impairment of children's mental and physical health or development",
    'ensuring children grow up in circumstances consistent with safe and effective care',
    'taking action to enable all children to have the best outcomes',
    'child safeguarding practice reviews, rapid reviews and serious incident notifications',
  ],
  lawfulBases: ['uk-gdpr-art6-1-c', 'uk-gdpr-art6-1-e', 'uk-gdpr-art9-2-g', 'dpa2018-sch1-pt2-para18'],
  dataCategories: [
    'name',
    'address',
    'date-of-birth',
    'family-members',
    'age',
    'gender',
    'health',
    'nhs-number',
    'race',
    'religion',
    'disability',
    'ethnicity',
    'legal-status',
    'criminal-investigations',
    'adult-safeguarding-concerns',
    'abuse-descriptions',
  ],
  retentionPeriod: 'P1Y',
  reviewIntervalMonths: 12,
};

/** Signatories' positions from the fixture; the other parties sign as their Caldicott Guardian. */
export const DEMO_SIGNATORY_POSITIONS: Record<string, string> = {
  'staffordshire-cc': "Director of Children's Services",
  'sst-icb': 'Chief Nursing and Therapies Officer',
  'staffordshire-police': 'Assistant Chief Constable',
};

import { normaliseAgreementCategory } from './agreement-categories';
import { classificationOf, DATA_CATEGORIES, isDataCategory } from './data-categories';
import { isJurisdiction, isUk, normaliseJurisdiction } from './jurisdictions';
import { isOrganisationKind } from './organisation-kinds';
import { isRole } from './roles';

describe('jurisdictions', () => {
  it('knows the four UK nations as UK', () => {
    for (const code of ['GB-ENG', 'GB-WLS', 'GB-SCT', 'GB-NIR']) {
      expect(isJurisdiction(code)).toBe(true);
      expect(isUk(code)).toBe(true);
    }
  });

  it('accepts any other alpha-2 country, which is never UK', () => {
    expect(normaliseJurisdiction(' fr ')).toBe('FR');
    expect(isUk('FR')).toBe(false);
    expect(isUk('IE')).toBe(false);
  });

  it('refuses bare GB and UK, which would hide the nation, and other shapes', () => {
    for (const code of ['GB', 'UK', 'GB-XXX', 'FRA', 'F', '12'])
      expect(normaliseJurisdiction(code)).toBeUndefined();
  });
});

describe('data categories', () => {
  it('holds every category of docs/architecture.md §8.2', () => {
    const required = [
      'name',
      'address',
      'date-of-birth',
      'age',
      'gender',
      'family-members',
      'contact-details',
      'education',
      'health',
      'nhs-number',
      'race',
      'ethnicity',
      'religion',
      'disability',
      'sexual-orientation',
      'legal-status',
      'criminal-investigations',
      'criminal-convictions',
      'adult-safeguarding-concerns',
      'abuse-descriptions',
    ];
    expect(required.filter((c) => !isDataCategory(c))).toEqual([]);
  });

  it('marks the Article 9 categories special and the Article 10 categories criminal-offence', () => {
    const byClass = (cls: string) =>
      Object.keys(DATA_CATEGORIES)
        .filter((c) => isDataCategory(c) && classificationOf(c) === cls)
        .sort();
    expect(byClass('special-category')).toEqual(
      [
        'biometric',
        'disability',
        'ethnicity',
        'genetic',
        'health',
        'philosophical-beliefs',
        'political-opinions',
        'race',
        'religion',
        'sexual-life',
        'sexual-orientation',
        'trade-union-membership',
      ].sort(),
    );
    expect(byClass('criminal-offence')).toEqual(['criminal-convictions', 'criminal-investigations']);
  });
});

describe('agreement categories', () => {
  it('keeps the canonical spelling of a known category and accepts free text', () => {
    expect(normaliseAgreementCategory('health and wellbeing')).toBe('Health and Wellbeing');
    expect(normaliseAgreementCategory('  Housing  ')).toBe('Housing');
    expect(normaliseAgreementCategory('   ')).toBeUndefined();
    expect(normaliseAgreementCategory('x'.repeat(121))).toBeUndefined();
  });
});

describe('organisation kinds and roles', () => {
  it('accept only their vocabularies', () => {
    expect(isOrganisationKind('fire-rescue')).toBe(true);
    expect(isOrganisationKind('council')).toBe(false);
    expect(['admin', 'ig-lead', 'practitioner', 'auditor'].every(isRole)).toBe(true);
    expect(isRole('owner')).toBe(false);
  });
});

import { DomainError } from '../errors';
import {
  activeAgreement,
  allSign,
  command,
  drafted,
  input,
  PARTIES,
  stateOf,
  terms,
} from '../testing/agreement-examples';
import { deciderSpec } from '../testing/decider-spec';
import { agreementDecider } from './agreement.decider';
import { AgreementEvent } from './agreement.events';
import { AgreementTermsInput } from './agreement.terms';

const spec = deciderSpec(agreementDecider);
const draft = (overrides: Partial<AgreementTermsInput> = {}, parent?: ReturnType<typeof stateOf>) =>
  command('DraftAgreement', { ...input(overrides), ...(parent ? { parent } : {}) });
const amend = (changes: Record<string, unknown>, extra: { orgId?: string; reasonForChange?: string } = {}) =>
  command('AmendAgreement', { orgId: 'council', reasonForChange: 'annual review', changes, ...extra });

describe('agreement decider: drafting', () => {
  it('drafts an agreement with a default review interval of 12 months', () => {
    spec.given([]).when(draft()).then([drafted()]);
  });

  it('drafts once', () => {
    spec.given([drafted()]).when(draft()).thenFails('agreement.already-drafted');
  });

  it('normalises: duplicate parties dropped, known category spelt canonically, duration upper-cased', () => {
    spec
      .given([])
      .when(
        draft({
          parties: ['council', 'police', 'council', 'trust'],
          category: 'safer  community',
          retentionPeriod: 'p6y',
        }),
      )
      .then([drafted()]);
  });

  it('accepts a category outside the known list as free text', () => {
    spec
      .given([])
      .when(draft({ category: 'Housing' }))
      .then([drafted({ category: 'Housing' })]);
  });

  it.each<[string, Partial<AgreementTermsInput>, string]>([
    ['a title', { title: ' ' }, 'agreement.title-required'],
    ['a purpose', { purposes: [' '] }, 'agreement.purposes-required'],
    ['a tier of 1 or 2', { tier: 3 }, 'agreement.tier-invalid'],
    ['a category', { category: '' }, 'agreement.category-required'],
    ['at least two parties', { parties: ['council'] }, 'agreement.parties-too-few'],
    ['the lead among the parties', { leadOrg: 'fire' }, 'agreement.lead-not-a-party'],
    ['data categories', { dataCategories: [] }, 'agreement.data-categories-required'],
  ])('requires %s', (_rule, overrides, code) => {
    spec
      .given([])
      .when(draft(overrides))
      .thenFails(code as DomainError['code']);
  });

  it('refuses a lawful basis outside the vocabulary and names the offending code', () => {
    const run = () =>
      agreementDecider.decide(draft({ lawfulBases: ['uk-gdpr-art6-1-e', 'dpa2018-sch9'] }), stateOf([]));
    expect(run).toThrow(
      expect.objectContaining({
        code: 'agreement.lawful-basis-invalid',
        extra: { lawfulBases: ['dpa2018-sch9'] },
      }),
    );
  });

  it('refuses a data category outside the vocabulary', () => {
    spec
      .given([])
      .when(draft({ dataCategories: ['name', 'shoe-size'] }))
      .thenFails('agreement.data-category-invalid');
  });

  it('requires an Article 6 basis or DPA 2018 Part 3', () => {
    spec
      .given([])
      .when(draft({ lawfulBases: ['uk-gdpr-art9-2-g', 'dpa2018-sch1-pt2-para18'] }))
      .thenFails('agreement.lawful-basis-required');
    spec
      .given([])
      .when(draft({ lawfulBases: ['dpa2018-part3', 'uk-gdpr-art9-2-g', 'dpa2018-sch1-pt2-para10'] }))
      .then([drafted({ lawfulBases: ['dpa2018-part3', 'uk-gdpr-art9-2-g', 'dpa2018-sch1-pt2-para10'] })]);
  });

  it('special-category data needs an Article 9 condition', () => {
    spec
      .given([])
      .when(draft({ lawfulBases: ['uk-gdpr-art6-1-e', 'dpa2018-sch1-pt2-para18'] }))
      .thenFails('agreement.art9-basis-required');
  });

  it('criminal-offence data needs a Schedule 1 condition or Part 3', () => {
    const onlyGdpr = { lawfulBases: ['uk-gdpr-art6-1-e', 'uk-gdpr-art9-2-a'] };
    spec.given([]).when(draft(onlyGdpr)).thenFails('agreement.criminal-offence-condition-required');
    const withPart3 = ['uk-gdpr-art6-1-e', 'uk-gdpr-art9-2-a', 'dpa2018-part3'];
    spec
      .given([])
      .when(draft({ lawfulBases: withPart3 }))
      .then([drafted({ lawfulBases: withPart3 as never })]);
  });

  it.each<[string, string[]]>([
    ['(g) without a Part 2 condition', ['uk-gdpr-art6-1-e', 'uk-gdpr-art9-2-g', 'dpa2018-sch1-pt1-para2']],
    [
      '(b) without Part 1 para 1',
      ['uk-gdpr-art6-1-e', 'uk-gdpr-art9-2-b', 'dpa2018-sch1-pt1-para2', 'dpa2018-part3'],
    ],
    ['(h) without Part 1 para 2', ['uk-gdpr-art6-1-e', 'uk-gdpr-art9-2-h', 'dpa2018-sch1-pt2-para18']],
    [
      '(i) without Part 1 para 3',
      ['uk-gdpr-art6-1-e', 'uk-gdpr-art9-2-i', 'dpa2018-sch1-pt1-para2', 'dpa2018-part3'],
    ],
    [
      '(j) without Part 1 para 4',
      ['uk-gdpr-art6-1-e', 'uk-gdpr-art9-2-j', 'dpa2018-sch1-pt1-para3', 'dpa2018-part3'],
    ],
  ])('refuses Article 9(2)%s (DPA 2018 s10, Schedule 1)', (_case, lawfulBases) => {
    spec.given([]).when(draft({ lawfulBases })).thenFails('agreement.schedule1-condition-required');
  });

  it.each<[string, string[]]>([
    ['(b) with Part 1 para 1', ['uk-gdpr-art9-2-b', 'dpa2018-sch1-pt1-para1']],
    ['(g) with Part 2 para 10', ['uk-gdpr-art9-2-g', 'dpa2018-sch1-pt2-para10']],
    ['(h) with Part 1 para 2', ['uk-gdpr-art9-2-h', 'dpa2018-sch1-pt1-para2']],
    ['(i) with Part 1 para 3', ['uk-gdpr-art9-2-i', 'dpa2018-sch1-pt1-para3']],
    ['(j) with Part 1 para 4', ['uk-gdpr-art9-2-j', 'dpa2018-sch1-pt1-para4']],
  ])('accepts Article 9(2)%s', (_case, art9) => {
    const lawfulBases = ['uk-gdpr-art6-1-e', ...art9, 'dpa2018-part3'];
    spec
      .given([])
      .when(draft({ lawfulBases }))
      .then([drafted({ lawfulBases: lawfulBases as never })]);
  });

  it('clause 6.0: refuses a party outside the UK, naming the clause', () => {
    spec
      .given([])
      .when(command('DraftAgreement', { ...input(), partiesOutsideUk: ['trust'] }))
      .thenFails('agreement.party-outside-uk-clause-6-0');
  });

  it.each(['six years', 'P', 'PT', 'P0D', '6Y', ''])('refuses retention period %p', (retentionPeriod) => {
    spec.given([]).when(draft({ retentionPeriod })).thenFails('agreement.retention-period-invalid');
  });

  it('accepts a retention period as short as PT1M for demos', () => {
    spec
      .given([])
      .when(draft({ retentionPeriod: 'PT1M' }))
      .then([drafted({ retentionPeriod: 'PT1M' })]);
  });

  it.each([0, 61, 1.5])('refuses review interval %p', (reviewIntervalMonths) => {
    spec.given([]).when(draft({ reviewIntervalMonths })).thenFails('agreement.review-interval-invalid');
  });
});

describe('agreement decider: tier 2 under a tier-1 parent', () => {
  const parent = stateOf(activeAgreement());
  const child = {
    tier: 2,
    parentId: 'parent-1',
    parties: ['council', 'trust'],
    purposes: ['early help assessment'],
    dataCategories: ['name', 'health'],
  };
  const childBases = { lawfulBases: ['uk-gdpr-art6-1-e', 'uk-gdpr-art9-2-g', 'dpa2018-sch1-pt2-para18'] };

  it('drafts within the parent and records the parent id', () => {
    spec
      .given([])
      .when(draft({ ...child, ...childBases }, parent))
      .then([drafted({ ...child, ...childBases, tier: 2 } as never)]);
  });

  it('needs a parent id, and a tier-1 agreement may not have one', () => {
    spec
      .given([])
      .when(draft({ ...child, ...childBases, parentId: null }, parent))
      .thenFails('agreement.parent-required');
    spec
      .given([])
      .when(draft({ parentId: 'parent-1' }))
      .thenFails('agreement.parent-not-allowed');
  });

  it('needs the parent to exist, be tier 1 and not be terminated', () => {
    spec
      .given([])
      .when(draft({ ...child, ...childBases }))
      .thenFails('agreement.parent-not-found');
    const tier2Parent = stateOf([drafted({ tier: 2, parentId: 'grandparent' })]);
    spec
      .given([])
      .when(draft({ ...child, ...childBases }, tier2Parent))
      .thenFails('agreement.parent-not-tier-1');
    const ended = stateOf([
      ...activeAgreement(),
      {
        type: 'AgreementTerminated',
        data: { noticeServedBy: 'council', effectiveAt: '2024-01-31T00:00:00.000Z' },
      },
    ]);
    spec
      .given([])
      .when(draft({ ...child, ...childBases }, ended))
      .thenFails('agreement.parent-terminated');
  });

  it.each<[string, Partial<AgreementTermsInput>]>([
    ['parties', { parties: ['council', 'fire'] }],
    ['data categories', { dataCategories: ['name', 'religion'] }],
    ['lawful bases', { lawfulBases: [...childBases.lawfulBases, 'uk-gdpr-art6-1-c'] }],
    ['a longer retention (P10Y under P6Y)', { retentionPeriod: 'P10Y' }],
    ['a longer retention in other units (P73M under P6Y)', { retentionPeriod: 'P73M' }],
  ])('refuses %s beyond the parent', (_field, overrides) => {
    spec
      .given([])
      .when(draft({ ...child, ...childBases, ...overrides }, parent))
      .thenFails('agreement.outside-parent-scope');
  });

  it('accepts the same or a shorter retention than the parent, in any units', () => {
    spec
      .given([])
      .when(draft({ ...child, ...childBases, retentionPeriod: 'P72M' }, parent))
      .then([drafted({ ...child, ...childBases, tier: 2, retentionPeriod: 'P72M' } as never)]);
  });

  it("a purpose that is not the parent's must name the parent purpose it narrows", () => {
    spec
      .given([])
      .when(draft({ ...child, ...childBases, purposes: ['early help for under-fives'] }, parent))
      .thenFails('agreement.purpose-narrows-invalid');
    spec
      .given([])
      .when(
        draft(
          { ...child, ...childBases, purposes: [{ text: 'marketing', narrows: 'selling things' }] },
          parent,
        ),
      )
      .thenFails('agreement.purpose-narrows-invalid');
  });

  it('records each narrowed purpose with the parent purpose it narrows; repeated ones need nothing', () => {
    const purposes = [
      { text: 'early  help for under-fives', narrows: 'early help assessment' },
      'safeguarding referrals',
    ];
    spec
      .given([])
      .when(draft({ ...child, ...childBases, purposes }, parent))
      .then([
        drafted({
          ...child,
          ...childBases,
          tier: 2,
          purposes: ['early help for under-fives', 'safeguarding referrals'],
          purposeNarrows: { 'early help for under-fives': 'early help assessment' },
        } as never),
      ]);
  });

  it('a tier-1 purpose narrows nothing', () => {
    spec
      .given([])
      .when(draft({ purposes: [{ text: 'early help', narrows: 'anything' }] }))
      .thenFails('agreement.purpose-narrows-invalid');
    spec
      .given([])
      .when(draft({ purposes: [{ text: 'early help assessment' }, 'safeguarding referrals'] }))
      .then([drafted()]);
  });

  it('is bounded by the parent terms in force, not a parent amendment still awaiting signatures', () => {
    const widening: AgreementEvent = {
      type: 'AgreementAmended',
      data: { version: 2, reasonForChange: 'add fire', changes: { parties: [...PARTIES, 'fire'] } },
    };
    const pendingParent = stateOf([...activeAgreement(), widening]);
    spec
      .given([])
      .when(draft({ ...child, ...childBases, parties: ['council', 'fire'] }, pendingParent))
      .thenFails('agreement.outside-parent-scope');
  });
});

describe('agreement decider: amendment', () => {
  it('creates version n+1 recording only the fields that changed', () => {
    spec
      .given(activeAgreement())
      .when(amend({ retentionPeriod: 'p7y', title: 'Early help information sharing' }))
      .then([
        {
          type: 'AgreementAmended',
          data: { version: 2, reasonForChange: 'annual review', changes: { retentionPeriod: 'P7Y' } },
        },
      ]);
  });

  it('refuses an amendment that names no field (issue 12)', () => {
    spec
      .given(activeAgreement())
      .when(amend({}, { reasonForChange: 'Working Together 2023' }))
      .thenFails('agreement.amendment-empty');
    spec
      .given(activeAgreement())
      .when(amend({ title: undefined }, { reasonForChange: 'Working Together 2023' }))
      .thenFails('agreement.amendment-empty');
  });

  it('needs a reason for change', () => {
    spec
      .given(activeAgreement())
      .when(amend({}, { reasonForChange: ' ' }))
      .thenFails('agreement.reason-for-change-required');
  });

  it('validates the amended terms as a whole', () => {
    spec
      .given(activeAgreement())
      .when(amend({ parties: ['police', 'trust'] }))
      .thenFails('agreement.lead-not-a-party');
    spec
      .given(activeAgreement())
      .when(amend({ lawfulBases: ['uk-gdpr-art6-1-e', 'dpa2018-sch1-pt2-para18'] }))
      .thenFails('agreement.art9-basis-required');
  });

  it('never moves an agreement between tiers or parents, nor amends an unknown field', () => {
    spec
      .given(activeAgreement())
      .when(amend({ tier: 2 }))
      .thenFails('agreement.field-not-amendable');
    spec
      .given(activeAgreement())
      .when(amend({ colour: 'blue' }))
      .thenFails('agreement.field-not-amendable');
    spec
      .given(activeAgreement())
      .when(amend({ tier: 1, title: 'Renamed' }))
      .then([
        {
          type: 'AgreementAmended',
          data: { version: 2, reasonForChange: 'annual review', changes: { title: 'Renamed' } },
        },
      ]);
  });

  it('only a party amends', () => {
    spec
      .given(activeAgreement())
      .when(amend({ title: 'x' }, { orgId: 'fire' }))
      .thenFails('agreement.not-a-party');
  });

  it('amends a draft before anyone signs it, too', () => {
    spec
      .given([drafted()])
      .when(amend({ reviewIntervalMonths: 24 }))
      .then([
        {
          type: 'AgreementAmended',
          data: { version: 2, reasonForChange: 'annual review', changes: { reviewIntervalMonths: 24 } },
        },
      ]);
  });

  it('builds each version on the latest one, even while an earlier amendment awaits signatures', () => {
    const v2: AgreementEvent = {
      type: 'AgreementAmended',
      data: { version: 2, reasonForChange: 'r', changes: { retentionPeriod: 'P7Y' } },
    };
    const state = spec
      .given([...activeAgreement(), v2])
      .when(amend({ title: 'Renamed' }))
      .thenState();
    expect(state.status !== 'none' && state.versions[2]?.terms).toEqual(
      terms({ retentionPeriod: 'P7Y', title: 'Renamed' }),
    );
    expect(state.status !== 'none' && [state.version, state.activeVersion]).toEqual([3, 1]);
  });

  it('keeps the v1 signatures from counting toward v2', () => {
    const v2: AgreementEvent = {
      type: 'AgreementAmended',
      data: { version: 2, reasonForChange: 'r', changes: {} },
    };
    const state = stateOf([
      drafted(),
      ...allSign(['council', 'police'], 1, '2024-01-10T00:00:00.000Z').slice(0, 2),
      v2,
    ]);
    expect(state.status !== 'none' && state.versions[1]?.signatures).toEqual({});
  });
});

describe('agreement decider: clause 6.0 (parties in the UK)', () => {
  it('refuses the signature that would activate an agreement naming a party outside the UK', () => {
    spec
      .given([drafted(), ...PARTIES.slice(0, 2).map((p) => signedBy(p))])
      .when(
        command('SignAgreement', {
          orgId: 'trust',
          signatory: 'T',
          position: 'Caldicott Guardian',
          partiesOutsideUk: ['police'],
        }),
      )
      .thenFails('agreement.party-outside-uk-clause-6-0');
  });

  it('refuses an amendment adding a party outside the UK', () => {
    spec
      .given(activeAgreement())
      .when(
        command('AmendAgreement', {
          orgId: 'council',
          reasonForChange: 'add a partner',
          changes: { parties: [...PARTIES, 'gendarmerie'] },
          partiesOutsideUk: ['gendarmerie'],
        }),
      )
      .thenFails('agreement.party-outside-uk-clause-6-0');
  });
});

function signedBy(orgId: string): AgreementEvent {
  return {
    type: 'AgreementSigned',
    data: { orgId, signatory: 'S', position: 'P', version: 1, signedAt: '2024-01-15T10:00:00.000Z' },
  };
}

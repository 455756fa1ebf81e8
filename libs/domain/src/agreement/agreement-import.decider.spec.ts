import { command, input, PARTIES, stateOf, terms } from '../testing/agreement-examples';
import { deciderSpec } from '../testing/decider-spec';
import { agreementDecider } from './agreement.decider';
import { AgreementEvent } from './agreement.events';
import { currentTerms, ExistingAgreement } from './agreement.state';

const spec = deciderSpec(agreementDecider);
const NOW = '2025-02-03T09:00:00.000Z';
const importing = (data: Record<string, unknown>) =>
  command(
    'ImportAgreement',
    { orgId: 'council', importedBy: 'user-1', source: 'ISA v1.1 (PDF)', terms: input(), ...data } as never,
    NOW,
  );
const signature = (orgId: string, signedOn: string, extra: Record<string, unknown> = {}) => ({
  orgId,
  signatory: `S ${orgId}`,
  position: 'Caldicott Guardian',
  signedOn,
  ...extra,
});

describe('agreement decider: import (docs/architecture.md §28)', () => {
  it('records the history as AgreementImported: versions with labels, signatures on the version of their date', () => {
    const events = agreementDecider.decide(
      importing({
        versions: [
          { versionLabel: '1.0', date: '2023-05-22', ratifiedOn: '2023-06-20' },
          {
            versionLabel: '1.1',
            date: '2024-01-04',
            reasonForChange: 'Working Together 2023',
            changes: { retentionPeriod: 'P7Y' },
          },
        ],
        signatures: PARTIES.map((p) => signature(p, '2023-09-19')),
      }),
      stateOf([]),
    );
    expect(events).toHaveLength(1);
    const imported = events[0] as Extract<AgreementEvent, { type: 'AgreementImported' }>;
    expect(imported.data).toMatchObject({
      source: 'ISA v1.1 (PDF)',
      importedBy: 'user-1',
      importedAt: NOW,
      activeVersion: 1,
      firstActivatedAt: '2023-09-19T00:00:00.000Z',
      nextReviewDue: '2024-03-19T00:00:00.000Z',
    });
    const [v1, v2] = imported.data.versions;
    expect(v1).toMatchObject({
      version: 1,
      date: '2023-05-22',
      terms: { versionLabel: '1.0', ratifiedOn: '2023-06-20' },
    });
    expect(v1!.signatures).toHaveLength(3);
    expect(v2).toMatchObject({
      version: 2,
      reasonForChange: 'Working Together 2023',
      signatures: [],
      activatedAt: null,
      terms: { versionLabel: '1.1', retentionPeriod: 'P7Y' },
    });
    expect(v2!.terms.ratifiedOn).toBeUndefined();
    // Folded: version 1 governs, version 2 awaits every party.
    const state = stateOf(events) as ExistingAgreement;
    expect(state).toMatchObject({ status: 'active', version: 2, activeVersion: 1 });
    expect(state.imported).toEqual({ source: 'ISA v1.1 (PDF)', importedBy: 'user-1', importedAt: NOW });
    expect(currentTerms(state).retentionPeriod).toBe('P7Y');
  });

  it('a signature may name its version by label; a version not every party signed leaves it a draft', () => {
    const events = agreementDecider.decide(
      importing({
        versions: [{ versionLabel: '1.0' }, { versionLabel: '1.1', changes: {} }],
        signatures: [signature('council', '2024-02-01', { versionLabel: '1.0' })],
      }),
      stateOf([]),
    );
    const state = stateOf(events) as ExistingAgreement;
    expect(state).toMatchObject({ status: 'draft', activeVersion: null, nextReviewDue: null });
    expect(state.versions[0]!.signatures['council']).toMatchObject({ signedOn: '2024-02-01' });
  });

  it('a stated first review date wins over six months', () => {
    const events = agreementDecider.decide(
      importing({
        terms: input({ firstReviewDue: '2024-12-31' }),
        signatures: PARTIES.map((p) => signature(p, '2024-01-10')),
      }),
      stateOf([]),
    );
    expect((events[0]!.data as { nextReviewDue: string }).nextReviewDue).toBe('2024-12-31T00:00:00.000Z');
  });

  it.each<[string, Record<string, unknown>, string]>([
    ['no source', { source: ' ' }, 'agreement.import-invalid'],
    [
      'a signature from a non-party',
      { signatures: [signature('fire', '2024-01-01')] },
      'agreement.not-a-party',
    ],
    [
      'a signature dated in the future',
      { signatures: [signature('council', '2025-02-04')] },
      'agreement.signed-on-invalid',
    ],
    [
      'a party signing one version twice',
      { signatures: [signature('council', '2024-01-01'), signature('council', '2024-01-02')] },
      'agreement.already-signed',
    ],
    [
      'a signature naming a version not there',
      { signatures: [signature('council', '2024-01-01', { version: 3 })] },
      'agreement.import-invalid',
    ],
    [
      'a party outside the UK (clause 6.0)',
      { partiesOutsideUk: ['trust'] },
      'agreement.party-outside-uk-clause-6-0',
    ],
  ])('refuses %s', (_case, data, code) => {
    spec
      .given([])
      .when(importing(data))
      .thenFails(code as never);
  });

  it('imports once, and never over a drafted agreement', () => {
    spec
      .given([{ type: 'AgreementDrafted', data: terms() }])
      .when(importing({}))
      .thenFails('agreement.already-drafted');
  });
});

describe('agreement decider: particulars and dates as signed', () => {
  it('keeps the particulars, and refuses an unknown gateway, a contact for a non-party, a non-https notice', () => {
    const particulars = {
      dataProtectionContacts: { council: { name: 'DPO', email: 'dpo@council.example' } },
      dpiaReference: 'DPIA-17',
      privacyNoticeUrls: { police: 'https://police.example/privacy' },
      legalGateways: ['children-act-2004-s11'],
      otherLegalGateways: ['Working Together 2023'],
      ratifiedOn: '2024-01-04',
      firstReviewAfterMonths: 3,
      versionLabel: '1.1',
    };
    spec
      .given([])
      .when(command('DraftAgreement', input(particulars as never)))
      .then([{ type: 'AgreementDrafted', data: terms(particulars as never) }]);
    spec
      .given([])
      .when(command('DraftAgreement', input({ legalGateways: ['magna-carta'] })))
      .thenFails('agreement.legal-gateway-invalid');
    spec
      .given([])
      .when(
        command(
          'DraftAgreement',
          input({ dataProtectionContacts: { fire: { name: 'X', email: 'x@fire.example' } } }),
        ),
      )
      .thenFails('agreement.particulars-invalid');
    spec
      .given([])
      .when(command('DraftAgreement', input({ privacyNoticeUrls: { council: 'http://council.example' } })))
      .thenFails('agreement.particulars-invalid');
  });

  it('a signature keeps signedOn apart from signedAt, and the first review runs from it by the stated months', () => {
    spec
      .given([
        {
          type: 'AgreementDrafted',
          data: terms({ parties: ['council', 'police'], firstReviewAfterMonths: 3 }),
        },
      ])
      .when(
        command('SignAgreement', { orgId: 'council', signatory: 'S', position: 'P', signedOn: '2024-01-20' }),
      )
      .then([
        {
          type: 'AgreementSigned',
          data: {
            orgId: 'council',
            signatory: 'S',
            position: 'P',
            version: 1,
            signedAt: '2024-02-01T09:00:00.000Z',
            signedOn: '2024-01-20',
          },
        },
      ]);
    const events = agreementDecider.decide(
      command('SignAgreement', { orgId: 'police', signatory: 'S', position: 'P', signedOn: '2024-01-25' }),
      stateOf([
        {
          type: 'AgreementDrafted',
          data: terms({ parties: ['council', 'police'], firstReviewAfterMonths: 3 }),
        },
        {
          type: 'AgreementSigned',
          data: {
            orgId: 'council',
            signatory: 'S',
            position: 'P',
            version: 1,
            signedAt: '2024-02-01T09:00:00.000Z',
          },
        },
      ]),
    );
    expect(events[1]).toEqual({
      type: 'AgreementActivated',
      data: {
        version: 1,
        activatedAt: '2024-02-01T09:00:00.000Z',
        firstReviewDue: '2024-04-25T00:00:00.000Z',
      },
    });
  });

  it('refuses a signature dated after today', () => {
    spec
      .given([{ type: 'AgreementDrafted', data: terms() }])
      .when(
        command('SignAgreement', { orgId: 'council', signatory: 'S', position: 'P', signedOn: '2024-02-02' }),
      )
      .thenFails('agreement.signed-on-invalid');
  });
});

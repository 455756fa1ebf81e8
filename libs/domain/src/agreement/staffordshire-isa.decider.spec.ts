// Specs may read files; the domain may not. The seed agreement's one copy is the demo's, which the e2e suites
// read too (docs/architecture.md §17).
import fixture from '../../../../apps/cli/src/demo/staffordshire-sscb-isa-2023.json';
import { organisationDecider } from '../organisation/organisation.decider';
import { canReceiveDocuments } from '../organisation/organisation.state';
import { AgreementCommand } from './agreement.commands';
import { agreementDecider, FIRST_REVIEW_AFTER_MONTHS } from './agreement.decider';
import { AgreementEvent } from './agreement.events';
import { termsInForce } from './agreement.queries';
import { AgreementState } from './agreement.state';

const { agreement } = fixture;
const metadata = (iso: string) => ({ now: new Date(iso) });

function run(events: AgreementEvent[], command: AgreementCommand): AgreementEvent[] {
  const state = events.reduce(agreementDecider.evolve, agreementDecider.initialState());
  return [...events, ...agreementDecider.decide(command, state)];
}
const stateOf = (events: AgreementEvent[]): AgreementState =>
  events.reduce(agreementDecider.evolve, agreementDecider.initialState());

const draft = (at: string): AgreementCommand => ({
  type: 'DraftAgreement',
  data: {
    title: agreement.title,
    purposes: agreement.purposes,
    tier: agreement.tier,
    category: agreement.category,
    leadOrg: agreement.leadOrg,
    parties: agreement.parties,
    lawfulBases: agreement.lawfulBases,
    dataCategories: agreement.dataCategories,
    retentionPeriod: agreement.retentionPeriod,
    reviewIntervalMonths: agreement.reviewIntervalMonths,
  },
  metadata: metadata(at),
});

/** The fixture names three signatories' positions; the other eight parties sign as their IG leads. */
const position = (orgId: string) =>
  agreement.signatures.find((s) => s.org === orgId)?.position ?? 'Senior Information Risk Owner';
const sign = (orgId: string, at: string): AgreementCommand => ({
  type: 'SignAgreement',
  data: { orgId, signatory: `Signatory for ${orgId}`, position: position(orgId) },
  metadata: metadata(at),
});

describe('the Staffordshire Safeguarding Children Board ISA (seed fixture)', () => {
  it('registers all eleven partners as UK organisations that can receive documents', () => {
    fixture.organisations.forEach((org, i) => {
      const [event] = organisationDecider.decide(
        {
          type: 'RegisterOrganisation',
          data: {
            name: org.name,
            kind: org.kind,
            jurisdiction: org.jurisdiction,
            icoRegistration: `Z${String(1000000 + i)}`,
          },
          metadata: metadata('2023-05-01T09:00:00Z'),
        },
        organisationDecider.initialState(),
      );
      expect(
        canReceiveDocuments(organisationDecider.evolve(organisationDecider.initialState(), event!)),
      ).toBe(true);
    });
  });

  it('expresses the whole agreement and activates it when all eleven parties have signed', () => {
    let events = run([], draft('2023-05-22T09:00:00Z'));
    expect(events).toEqual([
      {
        type: 'AgreementDrafted',
        data: expect.objectContaining({
          parties: agreement.parties,
          dataCategories: agreement.dataCategories,
        }),
      },
    ]);
    // The three signatures the fixture records come first, then the other eight, all on the recorded date.
    const signedDate = agreement.signatures[0]!.date;
    const order = [
      ...agreement.signatures.map((s) => s.org),
      ...agreement.parties.filter((p) => !agreement.signatures.some((s) => s.org === p)),
    ];
    expect(order).toHaveLength(11);
    for (const orgId of order.slice(0, 10)) events = run(events, sign(orgId, `${signedDate}T10:00:00Z`));
    expect(stateOf(events)).toMatchObject({ status: 'draft', activeVersion: null });
    expect(events.filter((e) => e.type === 'AgreementActivated')).toEqual([]);

    events = run(events, sign(order[10]!, `${signedDate}T16:00:00Z`));
    expect(FIRST_REVIEW_AFTER_MONTHS).toBe(agreement.firstReviewAfterMonths);
    expect(events.slice(-1)).toEqual([
      {
        type: 'AgreementActivated',
        data: {
          version: 1,
          activatedAt: '2023-09-19T16:00:00.000Z',
          firstReviewDue: '2024-03-19T16:00:00.000Z',
        },
      },
    ]);
    const inForce = termsInForce(stateOf(events), new Date('2023-10-01T00:00:00Z'));
    expect(inForce).toMatchObject({ inForce: true, version: 1, reviewOverdue: false });
    expect(inForce.inForce && inForce.terms).toEqual({
      title: agreement.title,
      purposes: agreement.purposes,
      tier: 1,
      category: 'Safer Community',
      leadOrg: 'staffordshire-cc',
      parties: agreement.parties,
      lawfulBases: agreement.lawfulBases,
      dataCategories: agreement.dataCategories,
      retentionPeriod: 'P1Y',
      reviewIntervalMonths: 12,
    });
    expect(stateOf(events)).toMatchObject({
      versions: [
        {
          signatures: {
            'sst-icb': {
              position: 'Chief Nursing and Therapies Officer',
              signedAt: '2023-09-19T10:00:00.000Z',
            },
          },
        },
      ],
    });
  });

  it('replays its version history: each amendment governs only once every party has re-signed', () => {
    const [first, ...amendments] = agreement.versions;
    let events = run([], draft(`${first!.date}T09:00:00Z`));
    for (const orgId of agreement.parties) events = run(events, sign(orgId, `${first!.ratified}T12:00:00Z`));
    expect(termsInForce(stateOf(events), new Date(`${first!.ratified}T13:00:00Z`))).toMatchObject({
      inForce: true,
      version: 1,
    });

    for (const v of amendments) {
      events = run(events, {
        type: 'AmendAgreement',
        // An amendment must name what it changes (an empty one is refused, issue 12); the fixture records only
        // the reason, so the replay restates the purposes the Working Together 2023 version re-issued.
        data: {
          orgId: agreement.leadOrg,
          reasonForChange: v.reasonForChange,
          changes: { purposes: agreement.purposes },
        },
        metadata: metadata(`${v.date}T09:00:00Z`),
      });
      const pending = termsInForce(stateOf(events), new Date(`${v.date}T09:30:00Z`));
      expect(pending).toMatchObject({ inForce: true, version: v.version - 1, pendingVersion: v.version });
      for (const orgId of agreement.parties) events = run(events, sign(orgId, `${v.ratified}T12:00:00Z`));
      expect(termsInForce(stateOf(events), new Date(`${v.ratified}T13:00:00Z`))).toMatchObject({
        inForce: true,
        version: v.version,
        pendingVersion: null,
      });
    }

    const state = stateOf(events);
    expect(state.status !== 'none' && state.versions.map((v) => [v.version, v.reasonForChange])).toEqual([
      [1, null],
      ...amendments.map((v) => [v.version, v.reasonForChange]),
    ]);
    // The review clock is the first activation's: amendments do not restart it.
    expect(state).toMatchObject({ nextReviewDue: `2023-12-20T12:00:00.000Z` });
  });
});

import {
  activeAgreement,
  allSign,
  command,
  drafted,
  PARTIES,
  signed,
  stateOf,
} from '../testing/agreement-examples';
import { deciderSpec } from '../testing/decider-spec';
import { agreementDecider } from './agreement.decider';
import { AgreementEvent } from './agreement.events';
import { termsInForce } from './agreement.queries';
import { agreementStatusAt, hasWithdrawnAt } from './agreement.state';

const spec = deciderSpec(agreementDecider);
const sign = (orgId: string, now: string, version?: number) =>
  command(
    'SignAgreement',
    {
      orgId,
      signatory: `Signatory of ${orgId}`,
      position: 'Caldicott Guardian',
      ...(version ? { version } : {}),
    },
    now,
  );
const amendedV2: AgreementEvent = {
  type: 'AgreementAmended',
  data: { version: 2, reasonForChange: 'retention extended', changes: { retentionPeriod: 'P7Y' } },
};
const suspended: AgreementEvent = {
  type: 'AgreementSuspended',
  data: { reason: 'breach under investigation' },
};
const notice = (effectiveAt: string, noticeServedBy = 'council'): AgreementEvent => ({
  type: 'AgreementTerminated',
  data: { noticeServedBy, effectiveAt },
});

describe('agreement decider: signatures and activation', () => {
  it('records a party signature without activating while others have not signed', () => {
    spec
      .given([drafted()])
      .when(sign('council', '2024-01-10T09:00:00.000Z'))
      .then([signed('council', 1, '2024-01-10T09:00:00.000Z')]);
  });

  it('activates with the last signature, first review due six months after it', () => {
    const earlier = [
      signed('council', 1, '2024-01-10T09:00:00.000Z'),
      signed('police', 1, '2024-01-12T09:00:00.000Z'),
    ];
    spec
      .given([drafted(), ...earlier])
      .when(sign('trust', '2024-01-15T10:00:00.000Z'))
      .then(allSign(['trust'], 1, '2024-01-15T10:00:00.000Z', '2024-07-15T10:00:00.000Z'));
  });

  it('only a party signs', () => {
    spec.given([drafted()]).when(sign('fire', '2024-01-10T09:00:00.000Z')).thenFails('agreement.not-a-party');
  });

  it('a party signs each version once', () => {
    spec
      .given([drafted(), signed('council', 1, '2024-01-10T09:00:00.000Z')])
      .when(sign('council', '2024-01-11T09:00:00.000Z'))
      .thenFails('agreement.already-signed');
  });

  it('needs the signatory and position', () => {
    spec
      .given([drafted()])
      .when(command('SignAgreement', { orgId: 'council', signatory: 'A. Person', position: ' ' }))
      .thenFails('agreement.signatory-required');
  });

  it('never lands a signature on a newer version than the one the signatory read', () => {
    spec
      .given([...activeAgreement(), amendedV2])
      .when(sign('council', '2024-03-01T09:00:00.000Z', 1))
      .thenFails('agreement.version-changed');
  });

  it('keeps the previous active version governing until every party re-signs an amendment', () => {
    const partly = [
      ...activeAgreement(),
      amendedV2,
      signed('council', 2, '2024-03-01T09:00:00.000Z'),
      signed('police', 2, '2024-03-02T09:00:00.000Z'),
    ];
    const before = termsInForce(stateOf(partly), new Date('2024-03-03T00:00:00.000Z'));
    expect(before).toMatchObject({
      inForce: true,
      version: 1,
      pendingVersion: 2,
      terms: { retentionPeriod: 'P6Y' },
    });

    const events = spec
      .given(partly)
      .when(sign('trust', '2024-03-03T09:00:00.000Z'))
      .then([
        signed('trust', 2, '2024-03-03T09:00:00.000Z'),
        { type: 'AgreementActivated', data: { version: 2, activatedAt: '2024-03-03T09:00:00.000Z' } },
      ]);
    const after = termsInForce(stateOf([...partly, ...events]), new Date('2024-03-04T00:00:00.000Z'));
    expect(after).toMatchObject({
      inForce: true,
      version: 2,
      pendingVersion: null,
      terms: { retentionPeriod: 'P7Y' },
    });
    // The review clock set by the first activation carries on.
    expect(stateOf([...partly, ...events])).toMatchObject({ nextReviewDue: '2024-07-15T10:00:00.000Z' });
  });

  it('an amendment that adds a party needs that party to sign too', () => {
    const addFire: AgreementEvent = {
      type: 'AgreementAmended',
      data: { version: 2, reasonForChange: 'fire joins', changes: { parties: [...PARTIES, 'fire'] } },
    };
    const reSigned = PARTIES.map((p) => signed(p, 2, '2024-03-01T09:00:00.000Z'));
    spec
      .given([...activeAgreement(), addFire, ...reSigned])
      .when(sign('fire', '2024-03-02T09:00:00.000Z'))
      .then([
        signed('fire', 2, '2024-03-02T09:00:00.000Z'),
        { type: 'AgreementActivated', data: { version: 2, activatedAt: '2024-03-02T09:00:00.000Z' } },
      ]);
  });

  it('a suspended agreement takes no signatures until reinstated', () => {
    spec
      .given([...activeAgreement(), amendedV2, suspended])
      .when(sign('council', '2024-03-01T09:00:00.000Z'))
      .thenFails('agreement.suspended');
  });

  it('commands on an agreement never drafted fail as not found', () => {
    spec.given([]).when(sign('council', '2024-03-01T09:00:00.000Z')).thenFails('agreement.not-found');
  });
});

describe('agreement decider: reviews', () => {
  it('records a review; the next is due one interval later', () => {
    spec
      .given(activeAgreement())
      .when(command('RecordAgreementReview', { orgId: 'council' }, '2024-07-01T12:00:00.000Z'))
      .then([
        {
          type: 'AgreementReviewed',
          data: { reviewedAt: '2024-07-01T12:00:00.000Z', nextReviewDue: '2025-07-01T12:00:00.000Z' },
        },
      ]);
  });

  it('reviews only an agreement that has been in force, by a party', () => {
    spec
      .given([drafted()])
      .when(command('RecordAgreementReview', { orgId: 'council' }))
      .thenFails('agreement.not-active');
    spec
      .given(activeAgreement())
      .when(command('RecordAgreementReview', { orgId: 'fire' }))
      .thenFails('agreement.not-a-party');
  });
});

describe('agreement decider: suspension', () => {
  it('a party suspends an active agreement with a reason, and shares stop', () => {
    const state = spec
      .given(activeAgreement())
      .when(command('SuspendAgreement', { orgId: 'police', reason: 'breach under investigation' }))
      .thenState();
    expect(termsInForce(state, new Date('2024-02-02T00:00:00.000Z'))).toEqual({
      inForce: false,
      reason: 'agreement.suspended',
    });
  });

  it('suspends only an active agreement, once, by a party, with a reason', () => {
    spec
      .given([drafted()])
      .when(command('SuspendAgreement', { orgId: 'police', reason: 'x' }))
      .thenFails('agreement.not-active');
    spec
      .given([...activeAgreement(), suspended])
      .when(command('SuspendAgreement', { orgId: 'police', reason: 'x' }))
      .thenFails('agreement.suspended');
    spec
      .given(activeAgreement())
      .when(command('SuspendAgreement', { orgId: 'fire', reason: 'x' }))
      .thenFails('agreement.not-a-party');
    spec
      .given(activeAgreement())
      .when(command('SuspendAgreement', { orgId: 'police', reason: '' }))
      .thenFails('agreement.reason-required');
  });

  it('reinstating puts the agreement back in force', () => {
    const state = spec
      .given([...activeAgreement(), suspended])
      .when(command('ReinstateAgreement', { orgId: 'police', reason: 'resolved' }))
      .thenState();
    expect(termsInForce(state, new Date('2024-02-02T00:00:00.000Z'))).toMatchObject({
      inForce: true,
      version: 1,
    });
    spec
      .given(activeAgreement())
      .when(command('ReinstateAgreement', { orgId: 'police', reason: 'x' }))
      .thenFails('agreement.not-suspended');
  });
});

describe('agreement decider: termination', () => {
  const terminate = (orgId: string, effectiveAt: string, now = '2024-02-01T09:00:00.000Z') =>
    command('TerminateAgreement', { orgId, effectiveAt }, now);

  it('the lead serves notice effective from a later date; the agreement stays in force until then', () => {
    const events = spec
      .given(activeAgreement())
      .when(terminate('council', '2024-03-01'))
      .then([notice('2024-03-01T00:00:00.000Z')]);
    const state = stateOf([...activeAgreement(), ...events]);
    expect(termsInForce(state, new Date('2024-02-29T23:59:59.000Z'))).toMatchObject({
      inForce: true,
      terminationEffectiveAt: '2024-03-01T00:00:00.000Z',
    });
    expect(termsInForce(state, new Date('2024-03-01T00:00:00.000Z'))).toEqual({
      inForce: false,
      reason: 'agreement.terminated',
    });
    expect(state.status !== 'none' && agreementStatusAt(state, new Date('2024-03-01T00:00:00.000Z'))).toBe(
      'terminated',
    );
  });

  it('notice effective today takes effect at once, whatever the hour it is served', () => {
    const events = spec
      .given(activeAgreement())
      .when(terminate('council', '2024-02-01'))
      .then([notice('2024-02-01T00:00:00.000Z')]);
    const servedAt = new Date('2024-02-01T09:00:00.000Z');
    expect(termsInForce(stateOf([...activeAgreement(), ...events]), servedAt)).toEqual({
      inForce: false,
      reason: 'agreement.terminated',
    });
  });

  it('notice cannot be backdated', () => {
    spec
      .given(activeAgreement())
      .when(terminate('police', '2024-01-31'))
      .thenFails('agreement.effective-date-invalid');
    spec
      .given(activeAgreement())
      .when(terminate('police', '2024-01-31T23:59:59Z'))
      .thenFails('agreement.effective-date-invalid');
    spec
      .given(activeAgreement())
      .when(terminate('police', 'next week'))
      .thenFails('agreement.effective-date-invalid');
  });

  it('only a party serves notice', () => {
    spec.given(activeAgreement()).when(terminate('fire', '2024-03-01')).thenFails('agreement.not-a-party');
  });

  it('notice is served once and freezes the terms: no amendment or signature while it runs', () => {
    const noticed = [...activeAgreement(), notice('2024-03-01T00:00:00.000Z')];
    spec
      .given(noticed)
      .when(terminate('council', '2024-04-01'))
      .thenFails('agreement.termination-notice-served');
    spec
      .given(noticed)
      .when(command('AmendAgreement', { orgId: 'council', reasonForChange: 'r', changes: {} }))
      .thenFails('agreement.termination-notice-served');
  });

  it('termination is final: once effective, every command fails', () => {
    const ended = [...activeAgreement(), notice('2024-01-20T00:00:00.000Z')];
    const after = '2024-02-01T09:00:00.000Z';
    for (const cmd of [
      sign('council', after),
      command('AmendAgreement', { orgId: 'council', reasonForChange: 'r', changes: {} }, after),
      command('RecordAgreementReview', { orgId: 'council' }, after),
      command('SuspendAgreement', { orgId: 'council', reason: 'r' }, after),
      command('ReinstateAgreement', { orgId: 'council', reason: 'r' }, after),
      terminate('council', '2024-03-01', after),
    ]) {
      spec.given(ended).when(cmd).thenFails('agreement.terminated');
    }
  });
});

describe('agreement decider: parties over time (docs/architecture.md §28)', () => {
  const terminate = (orgId: string, effectiveAt: string, now = '2024-02-01T09:00:00.000Z') =>
    command('TerminateAgreement', { orgId, effectiveAt }, now);
  const withdraw = (orgId: string, effectiveAt: string, now = '2024-02-01T09:00:00.000Z') =>
    command('WithdrawFromAgreement', { orgId, effectiveAt }, now);
  const withdrawn = (orgId: string, effectiveAt: string): AgreementEvent => ({
    type: 'PartyWithdrawn',
    data: { orgId, effectiveAt },
  });

  it('a party withdraws from a date; the others carry on, and only it is out from then', () => {
    const events = spec
      .given(activeAgreement())
      .when(withdraw('police', '2024-03-01'))
      .then([withdrawn('police', '2024-03-01T00:00:00.000Z')]);
    const state = stateOf([...activeAgreement(), ...events]);
    expect(hasWithdrawnAt(state, 'police', new Date('2024-02-29T23:59:59Z'))).toBe(false);
    expect(hasWithdrawnAt(state, 'police', new Date('2024-03-01T00:00:00Z'))).toBe(true);
    expect(hasWithdrawnAt(state, 'trust', new Date('2024-03-01T00:00:00Z'))).toBe(false);
    expect(termsInForce(state, new Date('2024-03-02T00:00:00Z'))).toMatchObject({ inForce: true });
  });

  it("a non-lead party's termination notice is its withdrawal", () => {
    spec
      .given(activeAgreement())
      .when(terminate('police', '2024-03-01'))
      .then([withdrawn('police', '2024-03-01T00:00:00.000Z')]);
  });

  it('when fewer than two parties would remain, the withdrawal ends the agreement', () => {
    const oneLeft = [...activeAgreement(), withdrawn('trust', '2024-02-15T00:00:00.000Z')];
    spec
      .given(oneLeft)
      .when(withdraw('police', '2024-03-01'))
      .then([
        withdrawn('police', '2024-03-01T00:00:00.000Z'),
        {
          type: 'AgreementTerminated',
          data: { noticeServedBy: 'police', effectiveAt: '2024-03-01T00:00:00.000Z' },
        },
      ]);
  });

  it('the lead terminates rather than withdraws; a party withdraws once; notice is as the terms state', () => {
    spec
      .given(activeAgreement())
      .when(withdraw('council', '2024-03-01'))
      .thenFails('agreement.lead-cannot-withdraw');
    spec
      .given([...activeAgreement(), withdrawn('police', '2024-03-01T00:00:00.000Z')])
      .when(withdraw('police', '2024-04-01'))
      .thenFails('agreement.already-withdrawn');
    const ninetyDays = [
      drafted({ noticePeriodDays: 90 }),
      ...allSign(PARTIES, 1, '2024-01-15T10:00:00.000Z'),
    ];
    spec
      .given(ninetyDays)
      .when(withdraw('police', '2024-03-01'))
      .thenFails('agreement.effective-date-invalid');
    spec
      .given(ninetyDays)
      .when(terminate('council', '2024-03-01'))
      .thenFails('agreement.effective-date-invalid');
    spec
      .given(ninetyDays)
      .when(withdraw('police', '2024-05-01'))
      .then([withdrawn('police', '2024-05-01T00:00:00.000Z')]);
  });

  it('a joining version adds the party; everyone signs it, the joiner included, and the old version governs meanwhile', () => {
    const events = spec
      .given(activeAgreement())
      .when(command('JoinAgreement', { orgId: 'council', joiner: 'fire' }))
      .then([
        {
          type: 'AgreementAmended',
          data: {
            version: 2,
            reasonForChange: 'fire joins the agreement',
            changes: { parties: [...PARTIES, 'fire'] },
            joining: 'fire',
          },
        },
      ]);
    const state = stateOf([...activeAgreement(), ...events]);
    expect(termsInForce(state, new Date('2024-02-02T00:00:00Z'))).toMatchObject({
      inForce: true,
      version: 1,
    });
    spec
      .given([...activeAgreement(), ...events])
      .when(command('SignAgreement', { orgId: 'fire', signatory: 'F', position: 'Chief Fire Officer' }))
      .then([
        {
          type: 'AgreementSigned',
          data: {
            orgId: 'fire',
            signatory: 'F',
            position: 'Chief Fire Officer',
            version: 2,
            signedAt: '2024-02-01T09:00:00.000Z',
          },
        },
      ]);
  });

  it('only the lead or the joiner proposes a joining; a party joins once; clause 6.0 holds', () => {
    spec
      .given(activeAgreement())
      .when(command('JoinAgreement', { orgId: 'police', joiner: 'fire' }))
      .thenFails('agreement.not-a-party');
    spec
      .given(activeAgreement())
      .when(command('JoinAgreement', { orgId: 'fire', joiner: 'fire' }))
      .then([
        {
          type: 'AgreementAmended',
          data: {
            version: 2,
            reasonForChange: 'fire joins the agreement',
            changes: { parties: [...PARTIES, 'fire'] },
            joining: 'fire',
          },
        },
      ]);
    spec
      .given(activeAgreement())
      .when(command('JoinAgreement', { orgId: 'council', joiner: 'police' }))
      .thenFails('agreement.already-a-party');
    spec
      .given(activeAgreement())
      .when(
        command('JoinAgreement', {
          orgId: 'council',
          joiner: 'gendarmerie',
          partiesOutsideUk: ['gendarmerie'],
        }),
      )
      .thenFails('agreement.party-outside-uk-clause-6-0');
  });
});

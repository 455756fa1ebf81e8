import { fold } from '../shared/decider';
import { BreachCommand } from './breach.commands';
import { breachDecider } from './breach.decider';
import { BreachErrorCode, isBreachError } from './breach.errors';
import { BreachEvent } from './breach.events';
import { isOverdueAt } from './breach.state';

const NOW = new Date('2026-03-02T12:00:00.000Z');
const DISCOVERED = '2026-03-02T09:00:00.000Z';

const cmd = <T extends BreachCommand['type']>(
  type: T,
  data: Extract<BreachCommand, { type: T }>['data'],
  now = NOW,
): BreachCommand => ({ type, data, metadata: { now } }) as BreachCommand;

const reportCmd = (over: Partial<Extract<BreachCommand, { type: 'ReportBreach' }>['data']> = {}) =>
  cmd('ReportBreach', {
    orgId: 'council',
    agreementId: 'isa-1',
    parties: ['council', 'police', 'trust'],
    documentIds: ['doc-1'],
    knownDocumentIds: ['doc-1'],
    discoveredAt: DISCOVERED,
    description: 'Email sent to the wrong partner',
    nearMiss: false,
    severity: 'high',
    dataCategories: ['name', 'health'],
    approxSubjects: 3,
    ...over,
  });

const reported: BreachEvent = {
  type: 'BreachReported',
  data: {
    reportedBy: 'council',
    reportedAt: NOW.toISOString(),
    agreementId: 'isa-1',
    documentIds: ['doc-1'],
    discoveredAt: DISCOVERED,
    description: 'Email sent to the wrong partner',
    nearMiss: false,
    severity: 'high',
    dataCategories: ['name', 'health'],
    approxSubjects: 3,
  },
};
const notified: BreachEvent = {
  type: 'PartnersNotified',
  data: {
    orgIds: ['council', 'police', 'trust'],
    reportedBy: 'council',
    severity: 'high',
    nearMiss: false,
    agreementId: 'isa-1',
  },
};
const assessed = (icoReportable: boolean): BreachEvent => ({
  type: 'BreachAssessed',
  data: {
    icoReportable,
    rationale: 'risk to rights',
    assessedAt: NOW.toISOString(),
    icoDeadline: '2026-03-05T09:00:00.000Z',
  },
});
const icoNotified: BreachEvent = {
  type: 'IcoNotified',
  data: { reference: 'ICO-1', notifiedAt: NOW.toISOString() },
};

/** given(events) / when(command) / then(events) or thenFails(code). */
function given(events: BreachEvent[]) {
  const state = fold(breachDecider, events);
  return {
    when: (command: BreachCommand) => ({
      then: (expected: BreachEvent[]) => expect(breachDecider.decide(command, state)).toEqual(expected),
      thenFails: (code: BreachErrorCode) => {
        let caught: unknown;
        try {
          breachDecider.decide(command, state);
        } catch (error) {
          caught = error;
        }
        if (!isBreachError(caught)) throw new Error(`expected ${code}, got ${String(caught)}`);
        expect(caught.code).toBe(code);
      },
    }),
  };
}

describe('breach decider: reporting', () => {
  it('reports a breach and notifies every party of the agreement at once', () => {
    given([]).when(reportCmd()).then([reported, notified]);
  });

  it('without an agreement only the reporting organisation is notified', () => {
    const events = breachDecider.decide(reportCmd({ agreementId: undefined, parties: undefined }), {
      status: 'none',
    });
    expect(events[1]).toEqual({
      type: 'PartnersNotified',
      data: { orgIds: ['council'], reportedBy: 'council', severity: 'high', nearMiss: false },
    });
  });

  it.each<[string, Parameters<typeof reportCmd>[0], BreachErrorCode]>([
    ['a discovery in the future', { discoveredAt: '2026-03-02T12:00:01Z' }, 'breach.discovered-in-future'],
    ['a discovery instant', { discoveredAt: 'yesterday' }, 'breach.discovered-at-invalid'],
    ['a description', { description: '  ' }, 'breach.description-required'],
    ['a known severity', { severity: 'critical' }, 'breach.severity-invalid'],
    ['a whole number of subjects', { approxSubjects: -1 }, 'breach.subjects-invalid'],
    ['known data categories', { dataCategories: ['gossip'] }, 'breach.data-category-invalid'],
    ['an existing agreement', { parties: undefined }, 'breach.agreement-not-found'],
    ['the reporter to be a party', { orgId: 'fire' }, 'breach.not-a-party'],
    // Not found and another organisation's read alike: the handler leaves both out of knownDocumentIds.
    [
      'documents the reporter sent or received',
      { documentIds: ['doc-1', 'doc-2'] },
      'breach.document-unknown',
    ],
    ['documents loaded by the handler', { knownDocumentIds: undefined }, 'breach.document-unknown'],
  ])('requires %s', (_rule, over, code) => {
    given([]).when(reportCmd(over)).thenFails(code);
  });

  it('reports once', () => {
    given([reported, notified]).when(reportCmd()).thenFails('breach.already-reported');
  });
});

describe('breach decider: assessment and the ICO', () => {
  it('records the assessment with the ICO deadline 72 hours after discovery', () => {
    given([reported, notified])
      .when(cmd('AssessBreach', { orgId: 'council', icoReportable: true, rationale: 'risk to rights' }))
      .then([assessed(true)]);
  });

  it('is assessed once', () => {
    given([reported, notified, assessed(false)])
      .when(cmd('AssessBreach', { orgId: 'council', icoReportable: true, rationale: 'x' }))
      .thenFails('breach.already-assessed');
  });

  it('is managed by the reporting organisation only', () => {
    given([reported, notified])
      .when(cmd('AssessBreach', { orgId: 'police', icoReportable: true, rationale: 'x' }))
      .thenFails('breach.not-reporter');
  });

  it('an organisation outside the breach reads it as not found', () => {
    given([reported, notified])
      .when(cmd('AssessBreach', { orgId: 'fire', icoReportable: true, rationale: 'x' }))
      .thenFails('breach.not-found');
  });

  it('an unknown breach is not found', () => {
    given([])
      .when(cmd('AssessBreach', { orgId: 'council', icoReportable: true, rationale: 'x' }))
      .thenFails('breach.not-found');
  });

  it('records the ICO notification of a reportable breach', () => {
    given([reported, notified, assessed(true)])
      .when(cmd('RecordIcoNotification', { orgId: 'council', reference: 'ICO-1' }))
      .then([icoNotified]);
  });

  it.each<[string, BreachEvent[], BreachErrorCode]>([
    ['before assessment', [reported, notified], 'breach.not-assessed'],
    ['for a breach that is not reportable', [reported, notified, assessed(false)], 'breach.not-reportable'],
    ['twice', [reported, notified, assessed(true), icoNotified], 'breach.ico-already-notified'],
  ])('refuses an ICO notification %s', (_rule, history, code) => {
    given(history)
      .when(cmd('RecordIcoNotification', { orgId: 'council', reference: 'ICO-1' }))
      .thenFails(code);
  });

  it('refuses an ICO notification dated before discovery or in the future', () => {
    for (const notifiedAt of ['2026-03-02T08:59:59Z', '2026-03-02T12:00:01Z', 'soon']) {
      given([reported, notified, assessed(true)])
        .when(cmd('RecordIcoNotification', { orgId: 'council', reference: 'ICO-1', notifiedAt }))
        .thenFails('breach.notified-at-invalid');
    }
  });

  it('is overdue after 72 hours without an ICO notification, and not once notified', () => {
    const later = new Date('2026-03-05T09:00:00.001Z');
    const open = fold(breachDecider, [reported, notified, assessed(true)]);
    const done = fold(breachDecider, [reported, notified, assessed(true), icoNotified]);
    const onTime = new Date('2026-03-05T09:00:00.000Z');
    expect(open.status !== 'none' && isOverdueAt(open, onTime)).toBe(false);
    expect(open.status !== 'none' && isOverdueAt(open, later)).toBe(true);
    expect(done.status !== 'none' && isOverdueAt(done, later)).toBe(false);
  });

  it('is overdue after 72 hours while still unassessed, and not once assessed as not reportable', () => {
    const later = new Date('2026-03-05T09:00:00.001Z');
    const unassessed = fold(breachDecider, [reported, notified]);
    const unreportable = fold(breachDecider, [reported, notified, assessed(false)]);
    expect(unassessed.status !== 'none' && isOverdueAt(unassessed, later)).toBe(true);
    expect(unreportable.status !== 'none' && isOverdueAt(unreportable, later)).toBe(false);
  });
});

describe('breach decider: data subjects and closure', () => {
  it('records that data subjects were told (Art 34), once', () => {
    const told: BreachEvent = { type: 'DataSubjectsNotified', data: { notifiedAt: NOW.toISOString() } };
    given([reported, notified, assessed(true)])
      .when(cmd('RecordSubjectNotification', { orgId: 'council' }))
      .then([told]);
    given([reported, notified, assessed(true), told])
      .when(cmd('RecordSubjectNotification', { orgId: 'council' }))
      .thenFails('breach.subjects-already-notified');
  });

  it('closes with outcome and lessons', () => {
    given([reported, notified, assessed(true), icoNotified])
      .when(cmd('CloseBreach', { orgId: 'council', outcome: 'contained', lessons: 'check addresses' }))
      .then([
        {
          type: 'BreachClosed',
          data: { outcome: 'contained', lessons: 'check addresses', closedAt: NOW.toISOString() },
        },
      ]);
  });

  it('a reportable breach closes only after the ICO is notified', () => {
    given([reported, notified, assessed(true)])
      .when(cmd('CloseBreach', { orgId: 'council', outcome: 'contained', lessons: 'x' }))
      .thenFails('breach.ico-notification-outstanding');
  });

  it('closes only after assessment, needs an outcome, and a closed breach takes nothing more', () => {
    given([reported, notified])
      .when(cmd('CloseBreach', { orgId: 'council', outcome: 'a', lessons: 'b' }))
      .thenFails('breach.not-assessed');
    given([reported, notified, assessed(false)])
      .when(cmd('CloseBreach', { orgId: 'council', outcome: ' ', lessons: 'b' }))
      .thenFails('breach.outcome-required');
    const closed: BreachEvent = {
      type: 'BreachClosed',
      data: { outcome: 'a', lessons: 'b', closedAt: NOW.toISOString() },
    };
    given([reported, notified, assessed(false), closed])
      .when(cmd('RecordSubjectNotification', { orgId: 'council' }))
      .thenFails('breach.closed');
  });
});

describe('breach decider: containment from the breach page', () => {
  const FPR = 'ab'.repeat(20);
  const contain = (over: Partial<Extract<BreachCommand, { type: 'RecordContainmentAction' }>['data']> = {}) =>
    cmd('RecordContainmentAction', {
      orgId: 'police',
      action: 'user-suspended',
      userId: 'user-7',
      reason: 'sent the referral on',
      ...over,
    });
  const suspended: BreachEvent = {
    type: 'ContainmentActionRecorded',
    data: {
      action: 'user-suspended',
      orgId: 'police',
      userId: 'user-7',
      reason: 'sent the referral on',
      recordedAt: NOW.toISOString(),
    },
  };

  it('any involved organisation records its own containment, not only the reporter', () => {
    given([reported, notified]).when(contain()).then([suspended]);
    given([reported, notified])
      .when(contain({ orgId: 'council', action: 'key-revoked', userId: undefined, fingerprint: FPR }))
      .then([
        {
          type: 'ContainmentActionRecorded',
          data: {
            action: 'key-revoked',
            orgId: 'council',
            fingerprint: FPR,
            reason: 'sent the referral on',
            recordedAt: NOW.toISOString(),
          },
        },
      ]);
  });

  it('a fingerprint is recorded as gpg or openpgp.js prints it, normalised', () => {
    const spaced = 'ABAB ABAB ABAB ABAB ABAB  ABAB ABAB ABAB ABAB ABAB';
    const [event] = breachDecider.decide(
      contain({ action: 'key-revoked', userId: undefined, fingerprint: spaced }),
      fold(breachDecider, [reported, notified]),
    );
    expect(event?.data).toMatchObject({ fingerprint: FPR });
  });

  it('the view lists each containment in order', () => {
    const state = fold(breachDecider, [reported, notified, suspended]);
    expect(state.status !== 'none' && state.containment).toEqual([suspended.data]);
  });

  it('the same action on the same target is recorded once; asking again appends nothing', () => {
    given([reported, notified, suspended])
      .when(contain({ reason: 'again' }))
      .then([]);
    given([reported, notified, suspended])
      .when(contain({ userId: 'user-8' }))
      .then([{ ...suspended, data: { ...suspended.data, userId: 'user-8' } }]);
  });

  it.each<[string, BreachEvent[], Parameters<typeof contain>[0], BreachErrorCode]>([
    ['an existing breach', [], {}, 'breach.not-found'],
    [
      'an involved organisation (outsiders read not found)',
      [reported, notified],
      { orgId: 'fire' },
      'breach.not-found',
    ],
    ['a reason', [reported, notified], { reason: ' ' }, 'breach.containment-reason-required'],
    [
      'a user id for a suspension',
      [reported, notified],
      { userId: ' ' },
      'breach.containment-target-invalid',
    ],
    [
      'a fingerprint for a revocation',
      [reported, notified],
      { action: 'key-revoked', fingerprint: 'not-hex' },
      'breach.containment-target-invalid',
    ],
  ])('requires %s', (_rule, history, over, code) => {
    given(history).when(contain(over)).thenFails(code);
  });

  it('a closed breach takes no containment', () => {
    const closed: BreachEvent = {
      type: 'BreachClosed',
      data: { outcome: 'a', lessons: 'b', closedAt: NOW.toISOString() },
    };
    given([reported, notified, assessed(false), closed])
      .when(contain())
      .thenFails('breach.closed');
  });
});

import { fold } from '../shared/decider';
import { DetectedIncidentData, IncidentCommand, incidentDecider } from './incident.decider';
import { IncidentError } from './incident.errors';
import { IncidentEvent } from './incident.events';

const NOW = new Date('2026-03-02T12:00:00.000Z');
const incident: DetectedIncidentData = {
  kind: 'non-uk-access',
  severity: 'high',
  summary: 'Access attempt from outside the UK',
  userId: 'u1',
  orgId: 'police',
  orgIds: ['police', 'council'],
  documentIds: ['d1'],
  evidence: ['e1'],
  detectedAt: '2026-03-02T09:00:00.000Z',
};
const detected: IncidentEvent = { type: 'SecurityIncidentDetected', data: incident };
const cmd = (c: Omit<IncidentCommand, 'metadata'>): IncidentCommand =>
  ({ ...c, metadata: { now: NOW } }) as IncidentCommand;
const decide = (given: IncidentEvent[], c: Omit<IncidentCommand, 'metadata'>) =>
  incidentDecider.decide(cmd(c), fold(incidentDecider, given));
const code = (f: () => unknown) => {
  try {
    f();
  } catch (e) {
    return (e as IncidentError).code;
  }
  return 'no error';
};

describe('the incident decider', () => {
  it('records an incident once: a replay of the same detection decides nothing', () => {
    expect(decide([], { type: 'RecordIncident', data: incident })).toEqual([detected]);
    expect(decide([detected], { type: 'RecordIncident', data: incident })).toEqual([]);
  });

  it('promotes an open incident for an involved organisation; a retry to the same breach decides nothing', () => {
    const promoted: IncidentEvent = { type: 'IncidentPromoted', data: { breachId: 'b1', orgId: 'council' } };
    expect(
      decide([detected], { type: 'PromoteIncident', data: { breachId: 'b1', orgId: 'council' } }),
    ).toEqual([promoted]);
    expect(
      decide([detected, promoted], { type: 'PromoteIncident', data: { breachId: 'b1', orgId: 'police' } }),
    ).toEqual([]);
    expect(
      code(() =>
        decide([detected, promoted], { type: 'PromoteIncident', data: { breachId: 'b2', orgId: 'police' } }),
      ),
    ).toBe('incident.already-promoted');
  });

  it('an organisation with no part in it reads not found', () => {
    expect(
      code(() => decide([detected], { type: 'PromoteIncident', data: { breachId: 'b1', orgId: 'trust' } })),
    ).toBe('incident.not-found');
    expect(code(() => decide([], { type: 'DismissIncident', data: { reason: 'x', orgId: 'police' } }))).toBe(
      'incident.not-found',
    );
  });

  it('dismisses with a reason; a dismissed incident is not promoted', () => {
    expect(
      code(() => decide([detected], { type: 'DismissIncident', data: { reason: '  ', orgId: 'police' } })),
    ).toBe('incident.reason-required');
    const dismissed: IncidentEvent = {
      type: 'IncidentDismissed',
      data: { reason: 'staff travel, VPN', orgId: 'police' },
    };
    expect(
      decide([detected], { type: 'DismissIncident', data: { reason: 'staff travel, VPN', orgId: 'police' } }),
    ).toEqual([dismissed]);
    expect(
      code(() =>
        decide([detected, dismissed], { type: 'PromoteIncident', data: { breachId: 'b1', orgId: 'police' } }),
      ),
    ).toBe('incident.dismissed');
  });
});

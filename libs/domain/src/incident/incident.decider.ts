import { assertNever } from '../errors';
import { Command, Decider } from '../shared/decider';
import { nonBlank } from '../shared/text';
import { incidentFail } from './incident.errors';
import { IncidentEvent, SecurityIncidentDetected } from './incident.events';

export type DetectedIncidentData = SecurityIncidentDetected['data'];

export type IncidentStatus = 'open' | 'promoted' | 'dismissed';

export interface ExistingIncident {
  status: IncidentStatus;
  incident: DetectedIncidentData;
  breachId: string | null;
  dismissal: string | null;
}

export type IncidentState = { status: 'none' } | ExistingIncident;

/** The detector records what a rule found; a repeat (a replay, another node) decides nothing. */
export type RecordIncident = Command<'RecordIncident', DetectedIncidentData>;
/** `breachId`: the breach already reported for the incident, which this links. */
export type PromoteIncident = Command<'PromoteIncident', { breachId: string; orgId: string }>;
export type DismissIncident = Command<'DismissIncident', { reason: string; orgId: string }>;
export type IncidentCommand = RecordIncident | PromoteIncident | DismissIncident;

export const MAX_DISMISSAL_REASON = 2000;

export const initialIncidentState = (): IncidentState => ({ status: 'none' });

export function evolveIncident(state: IncidentState, event: IncidentEvent): IncidentState {
  switch (event.type) {
    case 'SecurityIncidentDetected':
      return { status: 'open', incident: event.data, breachId: null, dismissal: null };
    case 'IncidentPromoted':
      return state.status === 'none'
        ? state
        : { ...state, status: 'promoted', breachId: event.data.breachId };
    case 'IncidentDismissed':
      return state.status === 'none'
        ? state
        : { ...state, status: 'dismissed', dismissal: event.data.reason };
    default:
      return assertNever(event, 'incident event');
  }
}

export function decideIncident(command: IncidentCommand, state: IncidentState): IncidentEvent[] {
  switch (command.type) {
    case 'RecordIncident':
      return state.status === 'none' ? [{ type: 'SecurityIncidentDetected', data: command.data }] : [];
    case 'PromoteIncident': {
      const s = involved(state, command.data.orgId);
      // Promoting again to the same breach is a retry of the same call.
      if (s.status === 'promoted' && s.breachId === command.data.breachId) return [];
      assertOpen(s);
      return [{ type: 'IncidentPromoted', data: { ...command.data } }];
    }
    case 'DismissIncident': {
      const s = involved(state, command.data.orgId);
      if (s.status === 'dismissed') return [];
      assertOpen(s);
      const reason = nonBlank(command.data.reason);
      if (!reason || reason.length > MAX_DISMISSAL_REASON)
        throw incidentFail('incident.reason-required', `1 to ${MAX_DISMISSAL_REASON} characters`);
      return [{ type: 'IncidentDismissed', data: { reason, orgId: command.data.orgId } }];
    }
    default:
      return assertNever(command, 'incident command');
  }
}

/** An organisation with no part in the incident reads "not found", as for breaches. */
function involved(state: IncidentState, orgId: string): ExistingIncident {
  if (state.status === 'none' || !state.incident.orgIds.includes(orgId))
    throw incidentFail('incident.not-found');
  return state;
}

function assertOpen(s: ExistingIncident): void {
  if (s.status === 'promoted')
    throw incidentFail('incident.already-promoted', undefined, { breachId: s.breachId ?? '' });
  if (s.status === 'dismissed') throw incidentFail('incident.dismissed');
}

export const incidentDecider: Decider<IncidentState, IncidentCommand, IncidentEvent> = {
  decide: decideIncident,
  evolve: evolveIncident,
  initialState: initialIncidentState,
};

import { assertNever } from '../errors';
import type { BreachEvent, BreachSeverity, ContainmentActionRecorded } from './breach.events';

/** One containment recorded on the breach (the event's data). */
export type BreachContainment = ContainmentActionRecorded['data'];

/** The ICO must hear of a reportable breach within 72 hours of the controller becoming aware (UK GDPR Art 33(1)). */
export const ICO_DEADLINE_HOURS = 72;
/** A reminder at 48 hours leaves a working day to finish the report. */
export const ICO_REMINDER_HOURS = 48;
const HOUR_MS = 3_600_000;

export interface ExistingBreach {
  status: 'reported' | 'assessed' | 'closed';
  reportedBy: string;
  reportedAt: string;
  agreementId: string | null;
  documentIds: string[];
  discoveredAt: string;
  description: string;
  nearMiss: boolean;
  severity: BreachSeverity;
  dataCategories: string[];
  approxSubjects: number;
  notifiedOrgs: string[];
  assessment: { icoReportable: boolean; rationale: string; assessedAt: string } | null;
  ico: { reference: string; notifiedAt: string } | null;
  subjectsNotifiedAt: string | null;
  closure: { outcome: string; lessons: string; closedAt: string } | null;
  /** Containment actions in the order recorded. */
  containment: BreachContainment[];
}

export type BreachState = { status: 'none' } | ExistingBreach;

export const initialBreachState = (): BreachState => ({ status: 'none' });

export function icoDeadlineOf(discoveredAt: string): string {
  return new Date(Date.parse(discoveredAt) + ICO_DEADLINE_HOURS * HOUR_MS).toISOString();
}

export function icoReminderAtOf(discoveredAt: string): string {
  return new Date(Date.parse(discoveredAt) + ICO_REMINDER_HOURS * HOUR_MS).toISOString();
}

/**
 * The ICO clock is running: not notified and not assessed as not reportable. A breach still awaiting its
 * assessment counts: the 72 hours run from discovery, not from the assessment, so one left unassessed is
 * the likeliest to be missed. The breach list, its detail and the inbox's reminders all ask this.
 */
export function awaitsIco(state: ExistingBreach): boolean {
  return state.status !== 'closed' && state.ico === null && state.assessment?.icoReportable !== false;
}

/** Past the 72 hours (the deadline itself is still on time) with the ICO clock running. */
export function isOverdueAt(state: ExistingBreach, now: Date): boolean {
  return awaitsIco(state) && now.getTime() > Date.parse(icoDeadlineOf(state.discoveredAt));
}

/** Whether `orgId` reported the breach or was notified of it. */
export function isInvolvedIn(state: ExistingBreach, orgId: string): boolean {
  return state.reportedBy === orgId || state.notifiedOrgs.includes(orgId);
}

/** The same containment (action and target) is recorded once per breach. */
export function isContainmentRecorded(
  state: ExistingBreach,
  c: Pick<BreachContainment, 'action' | 'userId' | 'fingerprint'>,
): boolean {
  return state.containment.some(
    (r) =>
      r.action === c.action &&
      (c.action === 'user-suspended' ? r.userId === c.userId : r.fingerprint === c.fingerprint),
  );
}

export function evolveBreach(state: BreachState, event: BreachEvent): BreachState {
  if (event.type === 'BreachReported') {
    const d = event.data;
    return {
      status: 'reported',
      reportedBy: d.reportedBy,
      reportedAt: d.reportedAt,
      agreementId: d.agreementId ?? null,
      documentIds: d.documentIds,
      discoveredAt: d.discoveredAt,
      description: d.description,
      nearMiss: d.nearMiss,
      severity: d.severity,
      dataCategories: d.dataCategories,
      approxSubjects: d.approxSubjects,
      notifiedOrgs: [],
      assessment: null,
      ico: null,
      subjectsNotifiedAt: null,
      closure: null,
      containment: [],
    };
  }
  if (state.status === 'none') return state;
  switch (event.type) {
    case 'PartnersNotified':
      return { ...state, notifiedOrgs: [...new Set([...state.notifiedOrgs, ...event.data.orgIds])] };
    case 'BreachAssessed': {
      const { icoReportable, rationale, assessedAt } = event.data;
      return { ...state, status: 'assessed', assessment: { icoReportable, rationale, assessedAt } };
    }
    case 'IcoNotified':
      return { ...state, ico: { ...event.data } };
    case 'DataSubjectsNotified':
      return { ...state, subjectsNotifiedAt: event.data.notifiedAt };
    case 'BreachClosed':
      return { ...state, status: 'closed', closure: { ...event.data } };
    case 'ContainmentActionRecorded':
      return { ...state, containment: [...state.containment, { ...event.data }] };
    default:
      return assertNever(event, 'breach event');
  }
}

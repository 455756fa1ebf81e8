import { assertNever } from '../errors';
import { Decider } from '../shared/decider';
import { nonBlank, unique } from '../shared/text';
import { parseInstant } from '../shared/time';
import { normaliseFingerprint } from '../organisation/organisation.decider';
import { isDataCategory } from '../vocabularies/data-categories';
import {
  AssessBreach,
  BreachCommand,
  CloseBreach,
  RecordContainmentAction,
  RecordIcoNotification,
  RecordSubjectNotification,
  ReportBreach,
} from './breach.commands';
import { breachFail } from './breach.errors';
import { BREACH_SEVERITIES, BreachEvent, BreachSeverity } from './breach.events';
import {
  BreachState,
  evolveBreach,
  ExistingBreach,
  icoDeadlineOf,
  initialBreachState,
  isContainmentRecorded,
  isInvolvedIn,
} from './breach.state';

export const MAX_BREACH_TEXT = 4000;

export function decideBreach(command: BreachCommand, state: BreachState): BreachEvent[] {
  switch (command.type) {
    case 'ReportBreach':
      if (state.status !== 'none') throw breachFail('breach.already-reported');
      return report(command);
    case 'AssessBreach':
      return assess(command, open(state, command.data.orgId));
    case 'RecordIcoNotification':
      return notifyIco(command, open(state, command.data.orgId));
    case 'RecordSubjectNotification':
      return notifySubjects(command, open(state, command.data.orgId));
    case 'CloseBreach':
      return close(command, open(state, command.data.orgId));
    case 'RecordContainmentAction':
      return recordContainment(command, involvedAndOpen(state, command.data.orgId));
    default:
      return assertNever(command, 'breach command');
  }
}

/** After the report, the reporting organisation leads the breach; a closed breach takes nothing more. */
function open(state: BreachState, orgId: string): ExistingBreach {
  // An organisation outside the breach reads "not found": the answer does not confirm another's breach.
  const s = involvedAndOpen(state, orgId);
  if (s.reportedBy !== orgId) throw breachFail('breach.not-reporter');
  return s;
}

/** Containment is not the reporter's alone: every organisation involved contains its own side. */
function involvedAndOpen(state: BreachState, orgId: string): ExistingBreach {
  if (state.status === 'none' || !isInvolvedIn(state, orgId)) throw breachFail('breach.not-found');
  if (state.status === 'closed') throw breachFail('breach.closed');
  return state;
}

function text(
  value: unknown,
  code: 'breach.description-required' | 'breach.rationale-required' | 'breach.outcome-required',
): string {
  const t = nonBlank(value);
  if (!t || t.length > MAX_BREACH_TEXT) throw breachFail(code, `1 to ${MAX_BREACH_TEXT} characters`);
  return t;
}

/** An instant between discovery and now: nobody notifies anyone before the breach is known or in the future. */
function notifiedAt(value: string | undefined, s: ExistingBreach, now: Date): string {
  if (value === undefined) return now.toISOString();
  const at = parseInstant(value);
  if (!at || at.getTime() > now.getTime() || at.getTime() < Date.parse(s.discoveredAt))
    throw breachFail('breach.notified-at-invalid');
  return at.toISOString();
}

function report({ data, metadata }: ReportBreach): BreachEvent[] {
  const { now } = metadata;
  const discovered = parseInstant(data.discoveredAt);
  if (!discovered) throw breachFail('breach.discovered-at-invalid');
  if (discovered.getTime() > now.getTime()) throw breachFail('breach.discovered-in-future');
  const description = text(data.description, 'breach.description-required');
  if (!(BREACH_SEVERITIES as readonly string[]).includes(data.severity))
    throw breachFail('breach.severity-invalid');
  const severity = data.severity as BreachSeverity;
  const approxSubjects = data.approxSubjects ?? 0;
  if (!Number.isSafeInteger(approxSubjects) || approxSubjects < 0)
    throw breachFail('breach.subjects-invalid');
  const dataCategories = unique(data.dataCategories ?? []);
  const unknown = dataCategories.filter((c) => !isDataCategory(c));
  if (unknown.length > 0)
    throw breachFail('breach.data-category-invalid', undefined, {
      dataCategories: unknown.map((c) => (/^[a-z0-9-]{1,40}$/.test(c) ? c : '(unknown)')),
    });
  const agreementId = nonBlank(data.agreementId);
  let orgIds = [data.orgId];
  if (agreementId !== undefined) {
    if (!data.parties) throw breachFail('breach.agreement-not-found');
    if (!data.parties.includes(data.orgId)) throw breachFail('breach.not-a-party');
    orgIds = unique([data.orgId, ...data.parties]);
  }
  const documentIds = unique(data.documentIds ?? []);
  // One code for a document that does not exist and for another organisation's: the breach is shown to every
  // party notified, and the answer must not tell the reporter which ids are other organisations' documents.
  const known = new Set(data.knownDocumentIds ?? []);
  if (documentIds.some((d) => !known.has(d))) throw breachFail('breach.document-unknown');
  const nearMiss = data.nearMiss === true;
  return [
    {
      type: 'BreachReported',
      data: {
        reportedBy: data.orgId,
        reportedAt: now.toISOString(),
        ...(agreementId !== undefined ? { agreementId } : {}),
        documentIds,
        discoveredAt: discovered.toISOString(),
        description,
        nearMiss,
        severity,
        dataCategories,
        approxSubjects,
      },
    },
    {
      type: 'PartnersNotified',
      data: {
        orgIds,
        reportedBy: data.orgId,
        severity,
        nearMiss,
        ...(agreementId !== undefined ? { agreementId } : {}),
      },
    },
  ];
}

function assess({ data, metadata }: AssessBreach, s: ExistingBreach): BreachEvent[] {
  if (s.assessment) throw breachFail('breach.already-assessed');
  const rationale = text(data.rationale, 'breach.rationale-required');
  return [
    {
      type: 'BreachAssessed',
      data: {
        icoReportable: data.icoReportable === true,
        rationale,
        assessedAt: metadata.now.toISOString(),
        icoDeadline: icoDeadlineOf(s.discoveredAt),
      },
    },
  ];
}

function notifyIco({ data, metadata }: RecordIcoNotification, s: ExistingBreach): BreachEvent[] {
  if (!s.assessment) throw breachFail('breach.not-assessed');
  if (!s.assessment.icoReportable) throw breachFail('breach.not-reportable');
  if (s.ico) throw breachFail('breach.ico-already-notified');
  const reference = nonBlank(data.reference);
  if (!reference || reference.length > 200) throw breachFail('breach.ico-reference-required');
  return [
    { type: 'IcoNotified', data: { reference, notifiedAt: notifiedAt(data.notifiedAt, s, metadata.now) } },
  ];
}

function notifySubjects({ data, metadata }: RecordSubjectNotification, s: ExistingBreach): BreachEvent[] {
  if (!s.assessment) throw breachFail('breach.not-assessed');
  if (s.subjectsNotifiedAt) throw breachFail('breach.subjects-already-notified');
  return [
    { type: 'DataSubjectsNotified', data: { notifiedAt: notifiedAt(data.notifiedAt, s, metadata.now) } },
  ];
}

function close({ data, metadata }: CloseBreach, s: ExistingBreach): BreachEvent[] {
  if (!s.assessment) throw breachFail('breach.not-assessed');
  if (s.assessment.icoReportable && !s.ico) throw breachFail('breach.ico-notification-outstanding');
  const outcome = text(data.outcome, 'breach.outcome-required');
  const lessons = text(data.lessons, 'breach.outcome-required');
  return [{ type: 'BreachClosed', data: { outcome, lessons, closedAt: metadata.now.toISOString() } }];
}

export const MAX_CONTAINMENT_REASON = 500;

function userIdOf(value: unknown): string | undefined {
  const id = nonBlank(value);
  return id !== undefined && id.length <= 200 ? id : undefined;
}

/**
 * The suspension or revocation already happened on its own stream; this records it on the breach. The same
 * action on the same target is recorded once: asking again (the target was already contained) appends nothing.
 */
function recordContainment({ data, metadata }: RecordContainmentAction, s: ExistingBreach): BreachEvent[] {
  const target =
    data.action === 'user-suspended'
      ? { userId: userIdOf(data.userId) }
      : data.action === 'key-revoked'
        ? { fingerprint: normaliseFingerprint(data.fingerprint) }
        : {};
  if (!target.userId && !target.fingerprint) throw breachFail('breach.containment-target-invalid');
  const reason = nonBlank(data.reason);
  if (!reason || reason.length > MAX_CONTAINMENT_REASON)
    throw breachFail('breach.containment-reason-required', `1 to ${MAX_CONTAINMENT_REASON} characters`);
  if (isContainmentRecorded(s, { action: data.action, ...target })) return [];
  return [
    {
      type: 'ContainmentActionRecorded',
      data: {
        action: data.action,
        orgId: data.orgId,
        ...target,
        reason,
        recordedAt: metadata.now.toISOString(),
      },
    },
  ];
}

export const breachDecider: Decider<BreachState, BreachCommand, BreachEvent> = {
  decide: decideBreach,
  evolve: evolveBreach,
  initialState: initialBreachState,
};

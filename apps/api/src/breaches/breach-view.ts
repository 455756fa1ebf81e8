import { ExistingBreach, icoDeadlineOf, isOverdueAt } from '@accord/domain';
import type { BreachRecord } from '@accord/projections';
import type { BreachDetailDto, BreachSummaryDto, IcoStatus } from './breach-responses.dto';

function icoStatusOf(s: ExistingBreach, now: Date): IcoStatus {
  if (s.ico) return 'notified';
  if (!s.assessment) return 'awaiting-assessment';
  if (!s.assessment.icoReportable) return 'not-reportable';
  return isOverdueAt(s, now) ? 'overdue' : 'due';
}

/** The deadline and time left are computed against the clock at each read, never stored. */
export function summaryOf({ id, state: s }: BreachRecord, now: Date): BreachSummaryDto {
  const icoDeadline = icoDeadlineOf(s.discoveredAt);
  return {
    id,
    status: s.status,
    reportedBy: s.reportedBy,
    reportedAt: s.reportedAt,
    discoveredAt: s.discoveredAt,
    severity: s.severity,
    nearMiss: s.nearMiss,
    agreementId: s.agreementId,
    icoReportable: s.assessment?.icoReportable ?? null,
    icoDeadline,
    secondsLeft: Math.floor((Date.parse(icoDeadline) - now.getTime()) / 1000),
    icoStatus: icoStatusOf(s, now),
    overdue: isOverdueAt(s, now),
  };
}

export function detailOf(record: BreachRecord, now: Date): BreachDetailDto {
  const s = record.state;
  return {
    ...summaryOf(record, now),
    description: s.description,
    documentIds: s.documentIds,
    dataCategories: s.dataCategories,
    approxSubjects: s.approxSubjects,
    notifiedOrgs: s.notifiedOrgs,
    rationale: s.assessment?.rationale ?? null,
    icoReference: s.ico?.reference ?? null,
    icoNotifiedAt: s.ico?.notifiedAt ?? null,
    subjectsNotifiedAt: s.subjectsNotifiedAt,
    outcome: s.closure?.outcome ?? null,
    lessons: s.closure?.lessons ?? null,
    closedAt: s.closure?.closedAt ?? null,
    containment: s.containment.map((c) => ({
      action: c.action,
      orgId: c.orgId,
      target: c.userId ?? c.fingerprint ?? '',
      reason: c.reason,
      at: c.recordedAt,
    })),
  };
}

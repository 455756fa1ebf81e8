import type { IncidentRecord } from '@accord/projections';
import type { IncidentDto } from './incident.dto';

export function incidentView({ id, state }: IncidentRecord): IncidentDto {
  const i = state.incident;
  return {
    id,
    kind: i.kind,
    severity: i.severity,
    status: state.status,
    summary: i.summary,
    detectedAt: i.detectedAt,
    userId: i.userId,
    orgId: i.orgId,
    orgIds: i.orgIds,
    documentIds: i.documentIds,
    evidence: i.evidence,
    breachId: state.breachId,
    dismissal: state.dismissal,
  };
}

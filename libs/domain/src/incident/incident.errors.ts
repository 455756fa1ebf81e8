import { CodedError, CodedErrorExtra } from '../shared/coded-error';

/**
 * Refusals about security incidents, in the shape every coded error has (stable `code`, `status`, `title`,
 * `detail`, `extra`), so the one problem filter renders them with their own type.
 */
type Entry = readonly [status: 403 | 404 | 409 | 422, title: string];

export const INCIDENT_ERRORS = {
  'incident.not-found': [404, 'Incident not found'],
  'incident.already-promoted': [409, 'Incident already promoted to a breach report'],
  'incident.dismissed': [409, 'Incident dismissed'],
  'incident.reason-required': [422, 'Reason required'],
} as const satisfies Record<string, Entry>;

export type IncidentErrorCode = keyof typeof INCIDENT_ERRORS;

export class IncidentError extends CodedError<IncidentErrorCode> {
  constructor(code: IncidentErrorCode, detail?: string, extra?: CodedErrorExtra) {
    super('IncidentError', INCIDENT_ERRORS, code, detail, extra);
  }
}

export function incidentFail(
  code: IncidentErrorCode,
  detail?: string,
  extra?: CodedErrorExtra,
): IncidentError {
  return new IncidentError(code, detail, extra);
}

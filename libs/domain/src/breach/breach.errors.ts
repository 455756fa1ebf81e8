import { CodedError, CodedErrorExtra } from '../shared/coded-error';

/**
 * Refusals about breaches (issue 7). A feature's own codes, in the shape every coded error has (stable
 * `code`, `status`, `title`, `detail`, `extra`), so the one problem filter renders them with their own type.
 * Details never quote the description, outcome or lessons: those may hold personal data.
 */
type Entry = readonly [status: 403 | 404 | 409 | 422, title: string];

export const BREACH_ERRORS = {
  'breach.not-found': [404, 'Breach not found'],
  'breach.already-reported': [409, 'Breach already reported'],
  'breach.not-reporter': [403, "Only the reporting organisation's IG lead manages the breach"],
  'breach.not-a-party': [403, 'The reporting organisation is not a party to the agreement'],
  'breach.agreement-not-found': [422, 'Agreement not found'],
  'breach.document-unknown': [422, 'A document named is not one the reporting organisation sent or received'],
  'breach.description-required': [422, 'Description required'],
  'breach.severity-invalid': [422, 'Severity must be low, medium or high'],
  'breach.discovered-at-invalid': [422, 'discoveredAt must be an ISO-8601 instant'],
  'breach.discovered-in-future': [422, 'discoveredAt is in the future'],
  'breach.subjects-invalid': [422, 'Approximate number of data subjects must be a whole number'],
  'breach.data-category-invalid': [422, 'Unknown data category'],
  'breach.rationale-required': [422, 'Rationale required'],
  'breach.already-assessed': [409, 'Breach already assessed'],
  'breach.not-assessed': [409, 'Breach not assessed yet'],
  'breach.not-reportable': [409, 'Breach assessed as not reportable to the ICO'],
  'breach.ico-already-notified': [409, 'ICO already notified'],
  'breach.ico-reference-required': [422, 'ICO reference required'],
  'breach.notified-at-invalid': [422, 'notifiedAt must be an instant between discovery and now'],
  'breach.subjects-already-notified': [409, 'Data subjects already notified'],
  'breach.ico-notification-outstanding': [409, 'A reportable breach closes only after the ICO is notified'],
  'breach.outcome-required': [422, 'Outcome and lessons required'],
  'breach.closed': [409, 'Breach closed'],
  'breach.containment-reason-required': [422, 'Containment reason required'],
  'breach.containment-target-invalid': [
    422,
    'A suspension names a user id, a key revocation an OpenPGP fingerprint',
  ],
} as const satisfies Record<string, Entry>;

export type BreachErrorCode = keyof typeof BREACH_ERRORS;

export class BreachError extends CodedError<BreachErrorCode> {
  constructor(code: BreachErrorCode, detail?: string, extra?: CodedErrorExtra) {
    super('BreachError', BREACH_ERRORS, code, detail, extra);
  }
}

export function breachFail(code: BreachErrorCode, detail?: string, extra?: CodedErrorExtra): BreachError {
  return new BreachError(code, detail, extra);
}

export function isBreachError(error: unknown): error is BreachError {
  return error instanceof BreachError;
}

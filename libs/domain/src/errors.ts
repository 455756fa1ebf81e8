/**
 * One error hierarchy (docs/architecture.md §20.6). Each code is stable: clients and tests depend on it and
 * the edge maps it to a problem `type` URI and the status below. Titles and details never carry personal
 * data, key material or document content; `extra` holds codes and ids only.
 */
export type DomainErrorStatus = 400 | 403 | 404 | 409 | 422;

type Entry = readonly [DomainErrorStatus, string];

export const DOMAIN_ERRORS = {
  'organisation.not-found': [404, 'Organisation not found'],
  'organisation.already-registered': [409, 'Organisation already registered'],
  'organisation.name-required': [422, 'Organisation name required'],
  'organisation.kind-invalid': [422, 'Unknown organisation kind'],
  'organisation.jurisdiction-invalid': [422, 'Invalid jurisdiction'],
  'organisation.ico-registration-invalid': [422, 'Invalid ICO registration number'],
  'organisation.key-invalid': [422, 'Invalid organisation key'],
  'organisation.key-too-weak': [422, 'Organisation key too weak'],
  'organisation.key-expired': [422, 'Organisation key expired'],
  'organisation.key-already-added': [409, 'Key already added'],
  'organisation.key-not-found': [404, 'Key not found'],
  'organisation.key-already-revoked': [409, 'Key already revoked'],
  'organisation.revocation-reason-required': [422, 'Revocation reason required'],

  'team.not-found': [404, 'Team not found'],
  'team.name-required': [422, 'Team name required'],
  'team.name-taken': [409, 'Team name already used in this organisation'],
  'team.user-not-in-organisation': [422, 'The user is not enrolled in this organisation'],

  'user.not-found': [404, 'User not found'],
  'user.token-issuer-not-permitted': [
    403,
    "Tokens for an organisation's users are issued by its IG leads; the admin enrols only a first IG lead",
  ],
  'user.already-enrolled': [409, 'User already enrolled'],
  'user.organisation-required': [422, 'Organisation required'],
  'user.name-required': [422, 'User name required'],
  'user.email-invalid': [422, 'Invalid email address'],
  'user.role-invalid': [422, 'Unknown role'],
  'user.suspended': [403, 'User suspended'],
  'user.already-suspended': [409, 'User already suspended'],
  'user.not-suspended': [409, 'User not suspended'],
  'user.reason-required': [422, 'Reason required'],
  'user.access-agreement-version-unknown': [422, 'Unknown access agreement version'],
  'user.access-agreement-not-accepted': [403, 'Access agreement not accepted'],
  'user.token-invalid': [422, 'Invalid API token record'],
  'user.token-already-issued': [409, 'API token already issued'],
  'user.token-not-found': [404, 'API token not found'],
  'user.token-already-revoked': [409, 'API token already revoked'],
  'user.training-invalid': [422, 'Invalid training record'],

  'agreement.not-found': [404, 'Agreement not found'],
  'agreement.already-drafted': [409, 'Agreement already drafted'],
  'agreement.title-required': [422, 'Agreement title required'],
  'agreement.purposes-required': [422, 'At least one purpose required'],
  'agreement.tier-invalid': [422, 'Invalid agreement tier'],
  'agreement.category-required': [422, 'Agreement category required'],
  'agreement.parties-too-few': [422, 'At least two parties required'],
  'agreement.lead-not-a-party': [422, 'Lead organisation is not a party'],
  'agreement.lawful-basis-invalid': [422, 'Unknown lawful basis'],
  'agreement.lawful-basis-required': [422, 'Article 6 basis or DPA 2018 Part 3 required'],
  'agreement.data-category-invalid': [422, 'Unknown data category'],
  'agreement.data-categories-required': [422, 'At least one data category required'],
  'agreement.art9-basis-required': [422, 'Special-category data needs an Article 9 condition'],
  'agreement.criminal-offence-condition-required': [
    422,
    'Criminal-offence data needs a DPA 2018 Schedule 1 condition or Part 3',
  ],
  'agreement.retention-period-invalid': [422, 'Invalid retention period'],
  'agreement.review-interval-invalid': [422, 'Invalid review interval'],
  'agreement.parent-required': [422, 'Tier-2 agreement needs a tier-1 parent'],
  'agreement.parent-not-allowed': [422, 'Tier-1 agreement cannot have a parent'],
  'agreement.parent-not-found': [422, 'Parent agreement not found'],
  'agreement.parent-not-tier-1': [422, 'Parent agreement is not tier 1'],
  'agreement.parent-terminated': [422, 'Parent agreement terminated'],
  'agreement.outside-parent-scope': [422, 'Outside the parent agreement'],
  'agreement.field-not-amendable': [422, 'Field cannot be amended'],
  'agreement.amendment-empty': [422, 'Amendment changes nothing'],
  'agreement.reason-for-change-required': [422, 'Reason for change required'],
  'agreement.not-a-party': [403, 'Organisation is not a party'],
  'agreement.already-signed': [409, 'Version already signed by this party'],
  'agreement.version-changed': [409, 'Agreement amended since it was read'],
  'agreement.signatory-required': [422, 'Signatory and position required'],
  'agreement.not-active': [409, 'Agreement not active'],
  'agreement.suspended': [409, 'Agreement suspended'],
  'agreement.not-suspended': [409, 'Agreement not suspended'],
  'agreement.terminated': [409, 'Agreement terminated'],
  'agreement.termination-notice-served': [409, 'Termination notice already served'],
  'agreement.effective-date-invalid': [422, 'Invalid effective date'],
  'agreement.reason-required': [422, 'Reason required'],
  'agreement.schedule1-condition-required': [
    422,
    'This Article 9 condition needs its DPA 2018 Schedule 1 condition',
  ],
  'agreement.purpose-narrows-invalid': [422, 'A tier-2 purpose must name the parent purpose it narrows'],
  'agreement.particulars-invalid': [422, 'Invalid agreement particulars'],
  'agreement.legal-gateway-invalid': [422, 'Unknown legal gateway'],
  'agreement.signed-on-invalid': [422, 'Invalid signature date'],
  'agreement.import-invalid': [422, 'Invalid agreement history'],
  'agreement.lead-cannot-withdraw': [409, 'The lead organisation cannot withdraw'],
  'agreement.already-withdrawn': [409, 'Party already withdrawn'],
  'agreement.already-a-party': [409, 'Organisation is already a party'],
  'agreement.party-outside-uk-clause-6-0': [
    422,
    'Clause 6.0: an agreement cannot name a party outside the UK',
  ],
} as const satisfies Record<string, Entry>;

export type DomainErrorCode = keyof typeof DOMAIN_ERRORS;

/** Values safe to show to a caller: codes, ids, counts. Never names, emails, keys or content. */
export type DomainErrorExtra = Record<string, string | number | boolean | string[]>;

export class DomainError extends Error {
  readonly status: DomainErrorStatus;
  readonly title: string;

  constructor(
    readonly code: DomainErrorCode,
    readonly detail: string = DOMAIN_ERRORS[code][1],
    readonly extra?: DomainErrorExtra,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'DomainError';
    this.status = DOMAIN_ERRORS[code][0];
    this.title = DOMAIN_ERRORS[code][1];
  }
}

/** The factory the deciders use: `throw fail('agreement.not-active', '...')`. */
export function fail(code: DomainErrorCode, detail?: string, extra?: DomainErrorExtra): DomainError {
  return new DomainError(code, detail, extra);
}

export function isDomainError(error: unknown): error is DomainError {
  return error instanceof DomainError;
}

/** Exhaustiveness: the compiler rejects a switch that misses a case; at run time an unknown type is a bug. */
export function assertNever(value: never, what = 'value'): never {
  const type = (value as { type?: unknown } | null)?.type;
  throw new Error(`unexpected ${what}${typeof type === 'string' ? ` of type ${type}` : ''}`);
}

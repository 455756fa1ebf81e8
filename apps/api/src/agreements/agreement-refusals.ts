/**
 * Refusals the HTTP layer adds to the domain's own (libs/domain errors.ts): checks that need more than one
 * stream (organisations exist, tier-2 children stay inside their parent) or that the domain leaves to the
 * edge. Same shape as DomainError (stable `code`, `status`, `title`, `detail`, `extra`), so the one problem
 * filter renders them with their own problem type. `extra` carries ids only.
 */
export type AgreementRefusalCode =
  'agreement.party-not-registered' | 'agreement.amendment-excludes-child' | 'agreement.next-review-invalid';

const ENTRIES: Record<AgreementRefusalCode, readonly [number, string]> = {
  'agreement.party-not-registered': [422, 'Party is not a registered organisation'],
  'agreement.amendment-excludes-child': [409, 'Amendment would leave a tier-2 agreement outside its parent'],
  'agreement.next-review-invalid': [422, 'Invalid next review date'],
};

export class AgreementRefusal extends Error {
  readonly status: number;
  readonly title: string;

  constructor(
    readonly code: AgreementRefusalCode,
    readonly detail: string,
    readonly extra?: Record<string, string | number | boolean | string[]>,
  ) {
    super(`${code}: ${detail}`);
    this.name = 'AgreementRefusal';
    this.status = ENTRIES[code][0];
    this.title = ENTRIES[code][1];
  }
}

/** Organisation ids are codes; anything else a caller typed is not echoed back. */
export const idOrMarker = (value: string): string =>
  /^[A-Za-z0-9._-]{1,64}$/.test(value) ? value : '(not an id)';

export const partyNotRegistered = (ids: readonly string[]): AgreementRefusal =>
  new AgreementRefusal(
    'agreement.party-not-registered',
    'every party must be an organisation registered on the platform',
    { organisations: ids.map(idOrMarker) },
  );

export const amendmentExcludesChild = (field: string, agreementIds: readonly string[]): AgreementRefusal =>
  new AgreementRefusal(
    'agreement.amendment-excludes-child',
    `the amended ${field} would no longer cover a tier-2 agreement drafted under this one; amend or terminate it first`,
    { field, agreementIds: [...agreementIds] },
  );

export const nextReviewInvalid = (detail: string): AgreementRefusal =>
  new AgreementRefusal('agreement.next-review-invalid', detail);

export const ORGANISATION_KINDS = [
  'local-authority',
  'police',
  'health',
  'education',
  'probation',
  'youth-justice',
  'fire-rescue',
  'central-government',
  'charity',
  'commercial',
  'other',
] as const;

export type OrganisationKind = (typeof ORGANISATION_KINDS)[number];

export function isOrganisationKind(value: unknown): value is OrganisationKind {
  return typeof value === 'string' && (ORGANISATION_KINDS as readonly string[]).includes(value);
}

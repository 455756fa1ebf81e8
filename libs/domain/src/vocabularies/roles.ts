/** admin operates the platform and never sees content; auditor reads the audit trail and never sees content. */
export const ROLES = ['admin', 'ig-lead', 'practitioner', 'auditor'] as const;

export type Role = (typeof ROLES)[number];

export function isRole(value: unknown): value is Role {
  return typeof value === 'string' && (ROLES as readonly string[]).includes(value);
}

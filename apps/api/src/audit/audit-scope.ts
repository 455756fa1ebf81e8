import { forbiddenRole, type Caller } from '../auth';

/** Null: a platform auditor, who sees every organisation. Otherwise the one organisation the caller sees. */
export type AuditScope = string | null;

/**
 * A platform auditor is an auditor enrolled under the reserved `platform` organisation (orgId null, like the
 * platform admin); every other auditor, and an IG lead, sees only the events that involve their own
 * organisation. The admin operates the platform and never reads the audit trail (docs/architecture.md §15.1).
 */
export function auditScopeOf(caller: Caller): AuditScope {
  if (caller.orgId !== null) return caller.orgId;
  if (caller.role === 'auditor') return null;
  throw forbiddenRole(['auditor', 'ig-lead']);
}

export const scopeName = (scope: AuditScope): 'platform' | 'organisation' =>
  scope === null ? 'platform' : 'organisation';

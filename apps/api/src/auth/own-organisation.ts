import { otherOrganisation } from './auth.errors';
import type { Caller } from './caller';

/**
 * Throws 403 `auth.other-organisation` unless the caller belongs to `orgId`. The platform admin belongs to
 * none, so passes only with `allowAdmin` (admin operations: organisations and users, never content).
 */
export function assertOwnOrganisation(
  caller: Caller,
  orgId: string,
  options: { allowAdmin?: boolean } = {},
): void {
  if (options.allowAdmin && caller.role === 'admin') return;
  if (caller.orgId === null || caller.orgId !== orgId) throw otherOrganisation();
}

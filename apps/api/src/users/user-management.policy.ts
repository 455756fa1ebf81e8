import { fail } from '@accord/domain';
import type { DirectoryReadModel, DirectoryUser } from '@accord/projections';
import { AuthError, forbiddenRole, otherOrganisation, type Caller } from '../auth';

/**
 * Who may manage a user (tokens, suspension): the platform admin, the IG lead of the user's organisation,
 * and, where `self` allows it, the user themself. The target must exist (404 user.not-found).
 */
export function authoriseUserManagement(
  directory: DirectoryReadModel,
  caller: Caller,
  userId: string,
  options: { self: 'allowed' | 'forbidden' },
): DirectoryUser {
  const isSelf = caller.userId === userId;
  if (isSelf && options.self === 'forbidden') {
    throw new AuthError('auth.forbidden-role', 'you cannot do this to your own account');
  }
  const target = directory.user(userId);
  if (!target) throw fail('user.not-found');
  if (isSelf || caller.role === 'admin') return target;
  if (target.orgId === null || target.orgId !== caller.orgId) throw otherOrganisation();
  if (caller.role !== 'ig-lead') throw forbiddenRole(['admin', 'ig-lead']);
  return target;
}

import { Role } from '../vocabularies/roles';

/** A user as the addressing rule needs to know them. */
export interface AddressableUser {
  userId: string;
  orgId: string;
  role: Role | string;
  suspended: boolean;
}

/** What of a share decides who it is addressed to. */
export interface ShareAddress {
  recipients: readonly string[];
  // TEAMS (issue 13 item 1): add `recipientTeams?: Record<string, string[]>` here, from DocumentShared.
}

/** Roles that open content (the open policy's): the only users a document is ever addressed to. */
const RECEIVING_ROLES: readonly string[] = ['practitioner', 'ig-lead'];

/**
 * Who a share is addressed to (docs/architecture.md §25): today every user of a recipient organisation who
 * may open content and is not suspended. This one function decides it for both the inbox and the email
 * "a document for you", so they can never disagree.
 *
 * TEAMS (issue 13 item 1) extends it here, and only here: for each recipient organisation, the members of the
 * teams `recipientTeams[orgId]` names, else of the organisation's default receiving team, else (no default
 * set) every receiving user as now. `users` is then given team membership by the caller.
 */
export function addresseesOfShare(share: ShareAddress, users: readonly AddressableUser[]): string[] {
  const orgs = new Set(share.recipients);
  return users
    .filter((u) => orgs.has(u.orgId) && !u.suspended && RECEIVING_ROLES.includes(u.role))
    .map((u) => u.userId)
    .sort();
}

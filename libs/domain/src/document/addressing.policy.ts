import { Role } from '../vocabularies/roles';

/** A user as the addressing rule needs to know them. */
export interface AddressableUser {
  userId: string;
  orgId: string;
  role: Role | string;
  suspended: boolean;
  /** The teams of their organisation the user is a member of when the document is shared. */
  teams?: readonly string[];
}

/** What of a share decides who it is addressed to. */
export interface ShareAddress {
  recipients: readonly string[];
  /**
   * DocumentShared.recipientTeams: per recipient organisation, the teams whose members alone receive it (the
   * teams the share named, else that organisation's default receiving team then; docs/architecture.md §24).
   */
  recipientTeams?: Readonly<Record<string, readonly string[]>>;
}

/** Roles that open content (the open policy's): the only users a document is ever addressed to. */
const RECEIVING_ROLES: readonly string[] = ['practitioner', 'ig-lead'];

/**
 * Who a share is addressed to (docs/architecture.md §27): every user of a recipient organisation who may open
 * content and is not suspended, and, in an organisation the share addressed to teams, only the members of
 * those teams (the open policy's need-to-know, §24). This one function decides it for both the inbox and the
 * email "a document for you", so they can never disagree.
 */
export function addresseesOfShare(share: ShareAddress, users: readonly AddressableUser[]): string[] {
  const orgs = new Set(share.recipients);
  return users
    .filter((u) => orgs.has(u.orgId) && !u.suspended && RECEIVING_ROLES.includes(u.role))
    .filter((u) => {
      const teams = share.recipientTeams?.[u.orgId];
      return teams === undefined || teams.length === 0 || teams.some((t) => u.teams?.includes(t));
    })
    .map((u) => u.userId)
    .sort();
}

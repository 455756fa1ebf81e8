import type { Role } from '@accord/domain';

/**
 * The authenticated user a request acts for, as the auth guard resolved it from the bearer token.
 * `@CurrentUser() caller: Caller` in a handler.
 */
export interface Caller {
  userId: string;
  /** Null for the platform admin, who belongs to no partner organisation. */
  orgId: string | null;
  role: Role;
  /** The access agreement version the user accepted, or null if none yet. */
  accessAgreementVersion: number | null;
  /**
   * Set only on a route marked @AdmitsSuspended(), where a suspended user's attempt is let through to be
   * refused and recorded (opening a document); every other route refuses them at the guard.
   */
  suspended?: true;
  /** The API token the request came with (the bearer's, or the one a session was signed in with). */
  tokenId?: string;
  /** The userId of whoever issued the token this request came with, when that was not the holder. */
  tokenIssuer?: string;
  /**
   * Set when the token is an enrolment token: one the platform admin issued for a user of a partner
   * organisation (the bootstrap of its first IG lead). It does nothing but exchange itself for the holder's
   * own token (routes marked @AdmitsEnrolmentToken()), so the admin never holds a token that reads content.
   */
  enrolmentTokenId?: string;
}

import { isRole } from '@accord/domain';
import { DirectoryReadModel } from '@accord/projections';
import type { Caller } from './caller';

/**
 * The user holding a token, by its hash: the one lookup behind the bearer header and the audit web view's
 * session (which keeps only the hash). A suspended user comes back marked `suspended` (their suspension
 * revoked the token, but they are still who presented it); undefined for an unknown or revoked token.
 */
export function holderOfTokenHash(directory: DirectoryReadModel, tokenHash: string): Caller | undefined {
  const holder = directory.tokenHolder(tokenHash);
  if (!holder || !isRole(holder.role)) return undefined;
  const caller: Caller = {
    userId: holder.userId,
    orgId: holder.orgId,
    role: holder.role,
    accessAgreementVersion: holder.accessAgreementVersion,
    tokenId: holder.tokenId,
    ...(holder.issuedBy !== null && holder.issuedBy !== holder.userId
      ? { tokenIssuer: holder.issuedBy }
      : {}),
    ...(holder.issuedByRole === 'admin' && holder.issuedBy !== holder.userId && holder.orgId !== null
      ? { enrolmentTokenId: holder.tokenId }
      : {}),
  };
  if (holder.status === 'suspended') return { ...caller, suspended: true };
  return holder.tokenRevoked ? undefined : caller;
}

/** As holderOfTokenHash, for callers that only need to know that the holder is suspended. */
export function callerOfTokenHash(
  directory: DirectoryReadModel,
  tokenHash: string,
): Caller | 'suspended' | undefined {
  const caller = holderOfTokenHash(directory, tokenHash);
  return caller?.suspended ? 'suspended' : caller;
}

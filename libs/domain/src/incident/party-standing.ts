import { AgreementState, isTerminatedAt } from '../agreement/agreement.state';

/**
 * Where an organisation stands with an agreement at an instant: `former-party` once an activated version
 * listed it but the version in force no longer does, or the agreement's termination has taken effect.
 * A version never activated (an amendment awaiting signatures) neither adds nor removes anyone.
 */
export type PartyStanding = 'party' | 'former-party' | 'not-party';

export function partyStandingAt(agreement: AgreementState, orgId: string, at: Date): PartyStanding {
  if (agreement.status === 'none') return 'not-party';
  const wasParty = agreement.versions.some((v) => v.activatedAt !== null && v.terms.parties.includes(orgId));
  if (!wasParty) return 'not-party';
  const inForce = agreement.activeTerms?.parties.includes(orgId) ?? false;
  return inForce && !isTerminatedAt(agreement, at) ? 'party' : 'former-party';
}

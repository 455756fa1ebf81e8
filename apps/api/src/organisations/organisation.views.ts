import type { DirectoryKey, DirectoryOrganisation } from '@accord/projections';
import type { OrganisationDto, OrganisationKeyDto } from './organisations.dto';

export function organisationView(o: DirectoryOrganisation): OrganisationDto {
  return {
    id: o.id,
    name: o.name,
    kind: o.kind,
    jurisdiction: o.jurisdiction,
    icoRegistration: o.icoRegistration,
    registeredAt: o.registeredAt,
  };
}

/** Expiry is judged at read time: a key added as active expires without any event. */
export function keyView(k: DirectoryKey, now: Date): OrganisationKeyDto {
  const expired = k.expiresAt !== null && k.expiresAt <= now.toISOString();
  return {
    fingerprint: k.fingerprint,
    algorithm: k.algorithm,
    bits: k.bits,
    expiresAt: k.expiresAt,
    status: k.status === 'revoked' ? 'revoked' : expired ? 'expired' : 'active',
    addedAt: k.addedAt,
    revokedAt: k.revokedAt,
    publicKey: k.publicKey,
  };
}

import { Injectable } from '@nestjs/common';
import type { PartyOrganisation } from '@accord/domain';
import { inspectPublicKey } from '@accord/crypto';
import { DirectoryReadModel } from '@accord/projections';

/** A subkey that expires is noticed within this long. */
const INSPECTION_TTL_MS = 60_000;
const MAX_CACHED_INSPECTIONS = 10_000;

/** An organisation key a new share may be encrypted to, with the key ids a PKESK names it by. */
export interface UsableKey {
  fingerprint: string;
  publicKey: string;
  encryptionKeyIds: string[];
}

/**
 * Organisations' keys as the share needs them: from the directory, not revoked, not expired, and still
 * passing the key rules now (a subkey may have expired since the key was added). A key that no longer
 * passes is simply not usable; an organisation left with none is `share.recipient-has-no-key`.
 */
@Injectable()
export class OrganisationKeyring {
  /**
   * Parsing a key and re-verifying its self-signatures cost about a third of a small share's CPU (measured
   * by the share benchmark's profile), so an inspection is reused for a short while. Revocation needs no
   * invalidation: it removes the key from the directory's active keys before this cache is consulted.
   */
  private readonly inspections = new Map<string, { encryptionKeyIds: string[] | null; until: number }>();

  constructor(private readonly directory: DirectoryReadModel) {}

  async usableKeys(orgId: string, now: Date): Promise<UsableKey[]> {
    const keys: UsableKey[] = [];
    for (const key of this.directory.activeKeys(orgId, now)) {
      const encryptionKeyIds = await this.encryptionKeyIds(key.fingerprint, key.publicKey, now);
      if (encryptionKeyIds)
        keys.push({ fingerprint: key.fingerprint, publicKey: key.publicKey, encryptionKeyIds });
    }
    return keys;
  }

  /** The key's usable encryption key ids at `now`, or null when it no longer passes the key rules. */
  private async encryptionKeyIds(
    fingerprint: string,
    publicKey: string,
    now: Date,
  ): Promise<string[] | null> {
    const cached = this.inspections.get(fingerprint);
    // A cached verdict never outlives INSPECTION_TTL_MS nor the key's own expiry, and is keyed to the moment
    // asked (a clock moved backwards in tests re-inspects).
    if (cached && now.getTime() < cached.until && now.getTime() >= cached.until - INSPECTION_TTL_MS) {
      return cached.encryptionKeyIds;
    }
    let encryptionKeyIds: string[] | null = null;
    let until = now.getTime() + INSPECTION_TTL_MS;
    try {
      const inspected = await inspectPublicKey(publicKey, { now });
      encryptionKeyIds = inspected.encryptionKeyIds;
      if (inspected.expiresAt) until = Math.min(until, Date.parse(inspected.expiresAt));
    } catch {
      encryptionKeyIds = null;
    }
    if (this.inspections.size >= MAX_CACHED_INSPECTIONS) this.inspections.clear();
    this.inspections.set(fingerprint, { encryptionKeyIds, until });
    return encryptionKeyIds;
  }

  /** What the share policy needs about each organisation: jurisdiction and usable keys (undefined: not registered). */
  async partyOrganisations(
    orgIds: readonly string[],
    now: Date,
  ): Promise<{
    organisations: Record<string, PartyOrganisation | undefined>;
    keys: Record<string, UsableKey[]>;
  }> {
    const organisations: Record<string, PartyOrganisation | undefined> = {};
    const keys: Record<string, UsableKey[]> = {};
    for (const id of new Set(orgIds)) {
      const org = this.directory.organisation(id);
      if (!org) continue;
      keys[id] = await this.usableKeys(id, now);
      organisations[id] = {
        jurisdiction: org.jurisdiction,
        activeKeyFingerprints: keys[id].map((k) => k.fingerprint),
      };
    }
    return { organisations, keys };
  }
}

import { Injectable } from '@nestjs/common';
import type { PartyOrganisation } from '@accord/domain';
import { inspectPublicKey } from '@accord/crypto';
import { DirectoryReadModel } from '@accord/projections';

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
  constructor(private readonly directory: DirectoryReadModel) {}

  async usableKeys(orgId: string, now: Date): Promise<UsableKey[]> {
    const keys: UsableKey[] = [];
    for (const key of this.directory.activeKeys(orgId, now)) {
      try {
        const inspected = await inspectPublicKey(key.publicKey, { now });
        keys.push({
          fingerprint: key.fingerprint,
          publicKey: key.publicKey,
          encryptionKeyIds: inspected.encryptionKeyIds,
        });
      } catch {
        continue;
      }
    }
    return keys;
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

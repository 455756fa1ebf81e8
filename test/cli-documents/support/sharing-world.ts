import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ApiClient, Reply, World, WorldOrg } from '../../authz/world';
import type { CliUser } from './accord-cli';

export const PURPOSE = 'safeguarding children at risk of harm';
export const CATEGORIES = ['name', 'address', 'date-of-birth'];

/**
 * A partnership on the real api (in this process): three organisations (`own`, `other`, `third`), each
 * with an IG lead, practitioner and auditor who accepted the access agreement, and an agreement all three
 * signed (active). Each organisation gets a keyring directory, as on its own machine.
 */
export interface SharingWorld {
  world: World;
  orgs: { own: WorldOrg; other: WorldOrg; third: WorldOrg };
  agreementId: string;
  /** Per-organisation keyring directories (0700 once the CLI made them). */
  keyrings: Record<'own' | 'other' | 'third', string>;
  dir: string;
  /** The CLI as one user of one organisation, with that organisation's keyring. */
  as(side: 'own' | 'other' | 'third', role: 'ig-lead' | 'practitioner', passphrase?: string): CliUser;
  client(side: 'own' | 'other' | 'third', role: 'ig-lead' | 'practitioner' | 'auditor'): ApiClient;
  close(): Promise<void>;
}

export const PASSPHRASE = 'correct horse battery staple';

export async function buildSharingWorld(): Promise<SharingWorld> {
  const world = await World.build();
  const third = await world.newOrganisation('third');
  const orgs = { own: world.orgs.own, other: world.orgs.other, third };
  const lead = world.client(orgs.own.users['ig-lead'].token);
  const { body } = await lead.ok('POST', '/agreements', 201, {
    body: {
      title: 'CLI documents agreement',
      purposes: [PURPOSE],
      tier: 1,
      category: 'Safer Community',
      leadOrg: orgs.own.id,
      parties: [orgs.own.id, orgs.other.id, orgs.third.id],
      lawfulBases: ['uk-gdpr-art6-1-e'],
      dataCategories: CATEGORIES,
      retentionPeriod: 'P1Y',
    },
  });
  for (const org of Object.values(orgs)) {
    await world.client(org.users['ig-lead'].token).ok('POST', `/agreements/${body.id}/signatures`, 201, {
      body: { signatory: 'Test Signatory', position: 'Caldicott Guardian' },
    });
  }
  const dir = mkdtempSync(join(tmpdir(), 'accord-cli-docs-'));
  const keyrings = {
    own: join(dir, 'own', 'keys'),
    other: join(dir, 'other', 'keys'),
    third: join(dir, 'third', 'keys'),
  };
  return {
    world,
    orgs,
    agreementId: body.id as string,
    keyrings,
    dir,
    as: (side, role, passphrase = PASSPHRASE) => ({
      url: world.url,
      token: orgs[side].users[role].token,
      keyring: keyrings[side],
      passphrase,
    }),
    client: (side, role) => world.client(orgs[side].users[role].token),
    close: async () => {
      await world.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/**
 * POST /documents as a partner's own tool would: `metadata` then `payload`, multipart (fetch's FormData;
 * fine for the small pre-encrypted messages the tests send by hand).
 */
export async function uploadDocument(
  client: ApiClient,
  metadata: Record<string, unknown>,
  payload: Uint8Array,
): Promise<Reply> {
  const form = new FormData();
  form.append('metadata', JSON.stringify(metadata));
  form.append('payload', new Blob([payload], { type: 'application/octet-stream' }), 'payload.pgp');
  const res = await fetch(`${client.url}/documents`, {
    method: 'POST',
    headers: { authorization: `Bearer ${client.token}` },
    body: form,
  });
  const text = await res.text();
  return {
    status: res.status,
    headers: res.headers,
    body: /json/.test(res.headers.get('content-type') ?? '') && text ? JSON.parse(text) : text,
  };
}

/** The metadata part for a share from `own` to the given organisations under the world's agreement. */
export const metadataFor = (w: SharingWorld, recipients: string[], title = 'Referral') => ({
  agreementId: w.agreementId,
  recipients,
  purpose: PURPOSE,
  dataCategories: ['name'],
  nature: 'fact',
  title,
});

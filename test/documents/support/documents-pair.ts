import { GeneratedOrganisationKey } from '@accord/crypto';
import { ApiClient, Reply, World, WorldOrg } from '../../authz/world';
import { organisationKey, share } from './documents-partnership';

/** Two organisations of a World, each with a key, under an agreement both signed. */
export interface DocumentsPair {
  agreementId: string;
  sender: WorldOrg;
  recipient: WorldOrg;
  keys: { sender: GeneratedOrganisationKey; recipient: GeneratedOrganisationKey };
}

export const PAIR_PURPOSE = 'checking who may do what';

export const pairTerms = (leadOrg: string, parties: string[]) => ({
  title: 'Documents test agreement',
  purposes: [PAIR_PURPOSE],
  tier: 1,
  category: 'Safer Community',
  leadOrg,
  parties,
  lawfulBases: ['uk-gdpr-art6-1-e'],
  dataCategories: ['name'],
  retentionPeriod: 'P1Y',
});

/** Gives both organisations a key and an agreement in force between them (the sender leads it). */
export async function buildPair(world: World, sender: WorldOrg, recipient: WorldOrg): Promise<DocumentsPair> {
  const keys = { sender: await organisationKey(sender.id), recipient: await organisationKey(recipient.id) };
  for (const [org, key] of [
    [sender, keys.sender],
    [recipient, keys.recipient],
  ] as const) {
    const lead = world.client(org.users['ig-lead'].token);
    await lead.ok('POST', `/organisations/${org.id}/keys`, 201, { body: { publicKey: key.publicKey } });
  }
  const lead = world.client(sender.users['ig-lead'].token);
  const { body } = await lead.ok('POST', '/agreements', 201, {
    body: pairTerms(sender.id, [sender.id, recipient.id]),
  });
  for (const org of [sender, recipient]) {
    await world.client(org.users['ig-lead'].token).ok('POST', `/agreements/${body.id}/signatures`, 201, {
      body: { signatory: 'Test Signatory', position: 'Caldicott Guardian' },
    });
  }
  return { agreementId: body.id, sender, recipient, keys };
}

export const pairMetadata = (pair: DocumentsPair, overrides: Record<string, unknown> = {}) => ({
  agreementId: pair.agreementId,
  recipients: [pair.recipient.id],
  purpose: PAIR_PURPOSE,
  dataCategories: ['name'],
  nature: 'fact',
  title: 'Pair document',
  ...overrides,
});

/** A plaintext share from the pair's sender practitioner; fails the test unless it answers `expected`. */
export async function sharePair(
  world: World,
  pair: DocumentsPair,
  expected = 201,
  client: ApiClient = world.client(pair.sender.users.practitioner.token),
): Promise<Reply> {
  const reply = await share(client, pairMetadata(pair), 'pair document body');
  if (reply.status !== expected)
    throw new Error(`share: expected ${expected}, got ${reply.status} ${JSON.stringify(reply.body)}`);
  return reply;
}

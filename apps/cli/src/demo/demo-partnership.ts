import { generateOrganisationKey, type GeneratedOrganisationKey } from '@accord/crypto';
import { DemoClient } from './demo-client';
import { DEMO_AGREEMENT, DEMO_ORGANISATIONS, DEMO_SIGNATORY_POSITIONS } from './staffordshire-fixture';

export type Step = (line: string) => void;

export interface DemoUser {
  userId: string;
  /** The address the organisation enrolled them with, which the platform's emails go to. */
  email: string;
  client: DemoClient;
}

export interface DemoPartnership {
  agreementId: string;
  keys: Record<string, GeneratedOrganisationKey>;
  leads: Record<string, DemoUser>;
}

/**
 * Synthetic people only: role and organisation, never a name that could be someone's. `enroller` is the
 * admin for platform staff and for an organisation's first IG lead, whose enrolment token is exchanged at
 * once for their own (the admin never keeps a partner's working token); an organisation's IG lead otherwise.
 */
export async function enrol(
  enroller: DemoClient,
  org: string,
  role: string,
  /** What the person does, e.g. "traffic officer", when an organisation has more than one of a role. */
  job?: string,
): Promise<DemoUser> {
  const who = job ?? role;
  const email = `${who.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}@${org}.demo.example`;
  const { body } = await enroller.ok(201, 'POST', `/organisations/${org}/users`, {
    name: `Demo ${who} (${org})`,
    email,
    role,
  });
  let client = enroller.as(String(body.token));
  if (org !== 'platform' && role === 'ig-lead') {
    const own = await client.ok(201, 'POST', `/users/${String(body.userId)}/tokens`);
    client = enroller.as(String(own.body.token));
  }
  await client.ok(200, 'POST', '/me/access-agreement', { version: 1 });
  return { userId: String(body.userId), email, client };
}

/**
 * The Staffordshire partnership, set up over HTTP as its own staff would: the admin registers the eleven
 * organisations and an IG lead at each; each IG lead uploads their organisation's public key (the private
 * halves stay in this process, as they would stay on each organisation's machines); the council's lead
 * drafts the agreement and every party's lead signs it.
 */
export async function seedPartnership(admin: DemoClient, step: Step): Promise<DemoPartnership> {
  for (const [i, org] of DEMO_ORGANISATIONS.entries()) {
    await admin.ok(201, 'POST', '/organisations', { ...org, icoRegistration: `Z${9000001 + i}` });
  }
  step(`registered the fixture's ${DEMO_ORGANISATIONS.length} organisations (Staffordshire SSCB ISA 2023)`);

  const leads: Record<string, DemoUser> = {};
  for (const org of DEMO_ORGANISATIONS) leads[org.id] = await enrol(admin, org.id, 'ig-lead');
  step(
    'enrolled a first IG lead at each organisation, who exchanged the enrolment token for their own and accepted the access agreement',
  );

  // Made a minute ago, so each key is valid at every instant the api judges the share at.
  const made = new Date(Date.now() - 60_000);
  const generated = await Promise.all(
    DEMO_ORGANISATIONS.map((org) =>
      generateOrganisationKey({ name: org.name, email: `keys@${org.id}.demo.example`, now: made }),
    ),
  );
  const keys: Record<string, GeneratedOrganisationKey> = {};
  for (const [i, org] of DEMO_ORGANISATIONS.entries()) {
    keys[org.id] = generated[i]!;
    await leads[org.id]!.client.ok(201, 'POST', `/organisations/${org.id}/keys`, {
      publicKey: generated[i]!.publicKey,
    });
  }
  step('generated a Curve25519 key per organisation locally; each IG lead uploaded the public half');

  const lead = leads[DEMO_AGREEMENT.leadOrg]!.client;
  const { body: drafted } = await lead.ok(201, 'POST', '/agreements', DEMO_AGREEMENT);
  const agreementId = String(drafted.id);
  step(`the council's IG lead drafted "${DEMO_AGREEMENT.title}" (${agreementId})`);

  for (const org of DEMO_AGREEMENT.parties) {
    await leads[org]!.client.ok(201, 'POST', `/agreements/${agreementId}/signatures`, {
      signatory: `Signatory for ${org}`,
      position: DEMO_SIGNATORY_POSITIONS[org] ?? 'Caldicott Guardian',
    });
  }
  const { body: agreement } = await lead.ok(200, 'GET', `/agreements/${agreementId}`);
  if (agreement.status !== 'active') {
    throw new Error(`the agreement is ${String(agreement.status)} after every party signed, not active`);
  }
  step(`activated after ${DEMO_AGREEMENT.parties.length} signatures`);
  return { agreementId, keys, leads };
}

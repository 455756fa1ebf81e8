import { generateOrganisationKey, type GeneratedOrganisationKey } from '@accord/crypto';
import { type BuiltApi, initAdmin, ok, send, startBuiltApi } from './share-api';

/** Two organisations, each with an IG lead, a practitioner and a key, under an agreement both signed. */
export interface BenchPartnership {
  agreementId: string;
  senderOrg: string;
  recipientOrg: string;
  /** The sender's practitioner, who shares. */
  senderToken: string;
  /** The recipient's practitioner, who opens. */
  recipientToken: string;
}

export const SENDER_ORG = 'bench-sender-council';
export const RECIPIENT_ORG = 'bench-recipient-police';
export const PURPOSE = 'safeguarding children at risk of harm';

/** A key made a minute ago, so it is valid at every instant the api will judge a share at. */
export function benchKey(org: string): Promise<GeneratedOrganisationKey> {
  return generateOrganisationKey({
    name: org,
    email: `keys@${org}.bench.example`,
    now: new Date(Date.now() - 60_000),
  });
}

/**
 * The sender's and the recipient's keys; the sender's private key signs on the client, as `accord share`
 * does. A type, not an interface, so that it passes as the Json of a phase's arguments.
 */
export type BenchKeys = {
  senderPublic: string;
  senderPrivate: string;
  recipientPublic: string;
};

export async function benchKeys(): Promise<BenchKeys> {
  const [sender, recipient] = await Promise.all([benchKey('bench-sender'), benchKey('bench-recipient')]);
  return {
    senderPublic: sender.publicKey,
    senderPrivate: sender.privateKey,
    recipientPublic: recipient.publicKey,
  };
}

/**
 * The built api over a fresh `dataDir`, with the partnership seeded; the caller stops it. A failed seeding
 * stops it here, so no workload leaves an api process behind.
 */
export async function startSeededApi(
  dataDir: string,
  keys: BenchKeys,
): Promise<{ api: BuiltApi; p: BenchPartnership }> {
  const admin = await initAdmin(dataDir);
  const api = await startBuiltApi(dataDir);
  try {
    const p = await seedPartnership(api.url, admin, {
      sender: keys.senderPublic,
      recipient: keys.recipientPublic,
    });
    return { api, p };
  } catch (error) {
    await api.stop();
    throw error;
  }
}

/** Seeds the partnership over HTTP, as the organisations' own staff would. */
export async function seedPartnership(
  url: string,
  adminToken: string,
  publicKeys: { sender: string; recipient: string },
): Promise<BenchPartnership> {
  const users: Record<string, { lead: string; practitioner: string }> = {};
  for (const [org, publicKey] of [
    [SENDER_ORG, publicKeys.sender],
    [RECIPIENT_ORG, publicKeys.recipient],
  ] as const) {
    await ok(
      201,
      send(url, 'POST', '/organisations', {
        token: adminToken,
        json: {
          id: org,
          name: `Bench ${org}`,
          kind: 'local-authority',
          jurisdiction: 'GB-ENG',
          icoRegistration: 'Z1234567',
        },
      }),
    );
    // The admin enrols the organisation's first IG lead, whose enrolment token is exchanged for their own;
    // that IG lead enrols the practitioner (issue 12: the admin never holds a partner's working token).
    const tokens: string[] = [];
    for (const role of ['ig-lead', 'practitioner']) {
      const { body } = await ok(
        201,
        send(url, 'POST', `/organisations/${org}/users`, {
          token: tokens[0] ?? adminToken,
          json: { name: `Bench ${role}`, email: `${role}@${org}.bench.example`, role },
        }),
      );
      let token = String(body.token);
      if (role === 'ig-lead') {
        const own = await ok(201, send(url, 'POST', `/users/${String(body.userId)}/tokens`, { token }));
        token = String(own.body.token);
      }
      await ok(200, send(url, 'POST', '/me/access-agreement', { token, json: { version: 1 } }));
      tokens.push(token);
    }
    users[org] = { lead: tokens[0]!, practitioner: tokens[1]! };
    await ok(
      201,
      send(url, 'POST', `/organisations/${org}/keys`, { token: users[org].lead, json: { publicKey } }),
    );
  }
  const { body: drafted } = await ok(
    201,
    send(url, 'POST', '/agreements', {
      token: users[SENDER_ORG]!.lead,
      json: {
        title: 'Bench agreement',
        purposes: [PURPOSE],
        tier: 1,
        category: 'Safer Community',
        leadOrg: SENDER_ORG,
        parties: [SENDER_ORG, RECIPIENT_ORG],
        lawfulBases: ['uk-gdpr-art6-1-e'],
        dataCategories: ['name', 'address'],
        retentionPeriod: 'P6Y',
      },
    }),
  );
  for (const org of [SENDER_ORG, RECIPIENT_ORG]) {
    await ok(
      201,
      send(url, 'POST', `/agreements/${drafted.id}/signatures`, {
        token: users[org]!.lead,
        json: { signatory: 'Bench Signatory', position: 'Caldicott Guardian' },
      }),
    );
  }
  return {
    agreementId: String(drafted.id),
    senderOrg: SENDER_ORG,
    recipientOrg: RECIPIENT_ORG,
    senderToken: users[SENDER_ORG]!.practitioner,
    recipientToken: users[RECIPIENT_ORG]!.practitioner,
  };
}

/** The metadata part of a share from the sender to the recipient. */
export const shareMetadata = (p: BenchPartnership, title: string) => ({
  agreementId: p.agreementId,
  recipients: [p.recipientOrg],
  purpose: PURPOSE,
  dataCategories: ['name'],
  nature: 'fact',
  title,
});

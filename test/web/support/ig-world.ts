import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { collect, DemoClient } from '../../../apps/cli/src/demo/demo-client';
import { encryptStream, generateOrganisationKey, unlockPrivateKey } from '@accord/crypto';
import { freePort } from '../../api/support/built-apps';
import { BuiltApi, startBuiltApi } from '../../api/support/built-process';
import { ApiClient, orgBody } from '../../authz/world';
import { accord, ensureBuiltCli } from '../../cli-documents/support/accord-cli';

/** One partner organisation of the IG suites, with its IG lead's token and a practitioner's. */
export interface IgOrganisation {
  id: string;
  name: string;
  lead: { userId: string; token: string; client: ApiClient };
  practitioner: { userId: string; token: string };
}

export interface IgWorld {
  url: string;
  dataDir: string;
  admin: ApiClient;
  council: IgOrganisation;
  police: IgOrganisation;
  close(): Promise<void>;
}

let n = 0;

/**
 * The built api on a fresh DATA_DIR, as an operator starts it, with `accord admin init` run by the built CLI
 * and everything else seeded over HTTP as the platform allows it: the admin registers two organisations and
 * enrols each one's first IG lead, who swaps the enrolment token for their own and enrols a practitioner.
 */
export async function buildIgWorld(prefix: string): Promise<IgWorld> {
  ensureBuiltCli();
  const dataDir = mkdtempSync(join(tmpdir(), `accord-${prefix}-`));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  let api: BuiltApi | undefined;
  try {
    api = startBuiltApi(dataDir, port);
    await api.listening;
    const init = await accord(
      { url, token: '', keyring: dataDir },
      ['admin', 'init', '--name', 'Ops', '--json'],
      {
        env: { DATA_DIR: dataDir },
      },
    );
    if (init.code !== 0) throw new Error(`admin init failed: ${init.stderr}`);
    const admin = new ApiClient(url, (JSON.parse(init.stdout) as { token: string }).token);
    const organisation = async (slug: string, name: string, kind: string): Promise<IgOrganisation> => {
      n += 1;
      const id = `${slug}-${process.pid}-${n}`;
      await admin.ok('POST', '/organisations', 201, { body: { ...orgBody(id, name), kind } });
      const enrol = (client: ApiClient, role: string) =>
        client.ok('POST', `/organisations/${id}/users`, 201, {
          body: { name: `${name} ${role}`, email: `${role}-${n}@${slug}.test.example`, role },
        });
      const first = (await enrol(admin, 'ig-lead')).body as { userId: string; token: string };
      const own = (await new ApiClient(url, first.token).ok('POST', `/users/${first.userId}/tokens`, 201))
        .body as {
        token: string;
      };
      const lead = new ApiClient(url, own.token);
      await lead.ok('POST', '/me/access-agreement', 200, { body: { version: 1 } });
      const practitioner = (await enrol(lead, 'practitioner')).body as { userId: string; token: string };
      await new ApiClient(url, practitioner.token).ok('POST', '/me/access-agreement', 200, {
        body: { version: 1 },
      });
      return { id, name, lead: { userId: first.userId, token: own.token, client: lead }, practitioner };
    };
    const council = await organisation('council', 'Staffordshire County Council', 'local-authority');
    const police = await organisation('police', 'Staffordshire Police', 'police');
    const running = api;
    return {
      url,
      dataDir,
      admin,
      council,
      police,
      close: async () => {
        running.child.kill('SIGTERM');
        await running.exited;
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    api?.child.kill('SIGTERM');
    await api?.exited;
    rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
}

/**
 * A case note about one data subject, as a practitioner's share makes it: both organisations get a key, the
 * council's IG lead drafts an agreement over the api and both sign it into force, then the council's
 * practitioner shares a note to the police, encrypted to both keys and signed (as `accord share` does).
 */
export async function shareCaseNote(
  world: IgWorld,
  subject: { scheme: 'nhs-number' | 'local-ref'; value: string },
): Promise<{ documentId: string; agreementId: string; title: string }> {
  const keys: Record<string, Awaited<ReturnType<typeof generateOrganisationKey>>> = {};
  for (const org of [world.council, world.police]) {
    keys[org.id] = await generateOrganisationKey({ name: org.name, email: `ig@${org.id}.test.example` });
    await org.lead.client.ok('POST', `/organisations/${org.id}/keys`, 201, {
      body: { publicKey: keys[org.id]!.publicKey },
    });
  }
  const purpose = 'protecting children from maltreatment';
  const drafted = await world.council.lead.client.ok('POST', '/agreements', 201, {
    body: {
      title: 'Case notes between council and police',
      purposes: [purpose],
      tier: 1,
      category: 'Safer Community',
      leadOrg: world.council.id,
      parties: [world.council.id, world.police.id],
      lawfulBases: ['uk-gdpr-art6-1-e'],
      dataCategories: ['name', 'address'],
      retentionPeriod: 'P6Y',
    },
  });
  const agreementId = String(drafted.body.id);
  for (const org of [world.council, world.police]) {
    await org.lead.client.ok('POST', `/agreements/${agreementId}/signatures`, 201, {
      body: { signatory: `Signatory for ${org.name}`, position: 'Caldicott Guardian' },
    });
  }
  const title = 'Strategy discussion note';
  const ciphertext = await collect(
    await encryptStream(Buffer.from('A synthetic case note.'), {
      encryptionKeys: [keys[world.police.id]!.publicKey, keys[world.council.id]!.publicKey],
      signingKey: await unlockPrivateKey(keys[world.council.id]!.privateKey),
    }),
  );
  const shared = await new DemoClient(world.url, world.council.practitioner.token).share(
    {
      agreementId,
      recipients: [world.police.id],
      purpose,
      dataCategories: ['name'],
      subjects: [subject],
      nature: 'fact',
      title,
    },
    ciphertext,
  );
  if (shared.status !== 201)
    throw new Error(`POST /documents: ${shared.status} ${JSON.stringify(shared.body)}`);
  return { documentId: String(shared.body.documentId), agreementId, title };
}

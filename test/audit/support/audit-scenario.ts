import { randomUUID } from 'node:crypto';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { userDecider, userStreamId } from '@accord/domain';
import { RecordedEvent, uuidv7 } from '@accord/event-store';
import { newApiToken, ReadYourWrites, runCommand } from '@accord/platform';
import { PLATFORM_ORGANISATION_ID } from '@accord/projections';
import { ApiClient } from '../../authz/world';
import { settleIncidents } from '../../incidents/support/incidents-world';
import {
  buildDocumentsPartnership,
  DocumentsPartnership,
  HOSPITAL,
  openContent,
  POLICE,
  share,
  shareMetadata,
} from '../../documents/support/documents-partnership';

export const NHS_NUMBER = '943 476 5919';
export const LOCAL_REF = 'SCC/2025/17';

/** The instants the scenario's steps happen at, one minute apart after the partnership is set up. */
export const AT = {
  shareToPolice: '2025-03-03T10:00:00.000Z',
  policeOpens: '2025-03-03T10:01:00.000Z',
  hospitalRefused: '2025-03-03T10:02:00.000Z',
  openFromFrance: '2025-03-03T10:03:00.000Z',
  shareToHospital: '2025-03-03T10:04:00.000Z',
  hospitalOpens: '2025-03-03T10:05:00.000Z',
};

export interface AuditScenario extends DocumentsPartnership {
  /** Shared by the county council to the police, about NHS_NUMBER: opened, refused, blocked. */
  toPolice: string;
  /** Shared to the hospital, about LOCAL_REF, and opened there. */
  toHospital: string;
  police: ApiClient;
  hospital: ApiClient;
  /** An auditor enrolled under the platform: sees every organisation. */
  platformAuditor: ApiClient;
  auditorOf(org: string): Promise<ApiClient>;
  userIdOf(client: ApiClient): Promise<string>;
  /** Every event of the log, read straight from the store. */
  rawEvents(): Promise<RecordedEvent[]>;
  settle(): Promise<void>;
}

/**
 * The seed partnership, then: a share to the police, the police open it, the hospital is refused, the
 * police are blocked opening from France, a share to the hospital, the hospital opens it.
 */
export async function buildAuditScenario(env?: Record<string, string>): Promise<AuditScenario> {
  const p = await buildDocumentsPartnership(env);
  // Quiet means the incident detector too: it gathers for 100 ms before each delivery, so the incident the
  // refusals below raise is appended after the read models have caught up, and would land mid-test.
  const settle = () => settleIncidents(p.world.api);
  const police = await p.practitionerOf(POLICE);
  const hospital = await p.practitionerOf(HOSPITAL);

  p.clock.set(AT.shareToPolice);
  const toPolice = await shared(
    p,
    shareMetadata(p, { recipients: [POLICE], subjects: [{ scheme: 'nhs-number', value: NHS_NUMBER }] }),
  );
  p.clock.set(AT.policeOpens);
  expect((await openContent(police, toPolice)).status).toBe(200);
  p.clock.set(AT.hospitalRefused);
  expect((await openContent(hospital, toPolice)).status).toBe(404);
  p.clock.set(AT.openFromFrance);
  expect((await openContent(police, toPolice, { 'x-client-country': 'FR' })).status).toBe(403);
  p.clock.set(AT.shareToHospital);
  const toHospital = await shared(
    p,
    shareMetadata(p, {
      recipients: [HOSPITAL],
      subjects: [{ scheme: 'local-ref', value: LOCAL_REF }],
      title: 'Discharge summary',
    }),
  );
  p.clock.set(AT.hospitalOpens);
  expect((await openContent(hospital, toHospital)).status).toBe(200);

  const platformAuditor = await enrolPlatformAuditor(p);
  const auditors = new Map<string, Promise<ApiClient>>();
  const ids = new Map<string, string>();
  await settle();
  return {
    ...p,
    toPolice,
    toHospital,
    police,
    hospital,
    platformAuditor,
    settle,
    auditorOf(org) {
      let client = auditors.get(org);
      if (!client) {
        client = p.world.enrol(org, 'auditor').then((u) => p.world.client(u.token));
        auditors.set(org, client);
      }
      return client;
    },
    async userIdOf(client) {
      if (!ids.has(client.token!)) ids.set(client.token!, (await client.ok('GET', '/me', 200)).body.user.id);
      return ids.get(client.token!)!;
    },
    async rawEvents() {
      const events: RecordedEvent[] = [];
      for await (const page of p.store.readAll()) events.push(...page);
      return events;
    },
  };
}

async function shared(p: DocumentsPartnership, metadata: unknown): Promise<string> {
  const reply = await share(p.practitioner, metadata, 'case notes');
  if (reply.status !== 201) throw new Error(`share failed: ${JSON.stringify(reply.body)}`);
  return reply.body.documentId;
}

/**
 * A platform auditor: an auditor under the reserved `platform` organisation (orgId null), who sees every
 * organisation. The API enrols only admins there today, so the enrolment goes straight through the user
 * decider into the store, as `accord admin init` enrols the first admin.
 */
export async function enrolPlatformAuditor(p: DocumentsPartnership): Promise<ApiClient> {
  // The platform's clock, as every other event: occurredAt grows with the position.
  const now = p.clock.now();
  const userId = uuidv7(now.getTime());
  const { tokenId, token, tokenHash } = newApiToken(now.getTime());
  await runCommand(
    p.store,
    userStreamId(userId),
    userDecider,
    {
      type: 'EnrolUser',
      data: {
        orgId: PLATFORM_ORGANISATION_ID,
        name: 'Platform Auditor',
        email: `platform-auditor-${userId}@audit.test.example`,
        role: 'auditor',
        token: { tokenId, tokenHash },
      },
      metadata: { now },
    },
    { meta: { occurredAt: now.toISOString(), actor: { system: 'test' }, correlationId: randomUUID() } },
  );
  await p.world.api.app.get(ReadYourWrites).catchUp();
  const client = p.world.client(token);
  await client.ok('POST', '/me/access-agreement', 200, { body: { version: 1 } });
  return client;
}

/** The file that holds an object in the filesystem store (its 512-byte header, then the body). */
export function objectFilePath(dataDir: string, objectKey: string): string {
  const name = objectKey.split('/').pop()!;
  const walk = (dir: string): string | undefined => {
    for (const e of readdirSync(dir, { withFileTypes: true })) {
      const path = join(dir, e.name);
      const found = e.isDirectory() ? walk(path) : e.name === name ? path : undefined;
      if (found) return found;
    }
    return undefined;
  };
  const found = walk(join(dataDir, 'objects'));
  if (!found) throw new Error(`no object file for ${objectKey}`);
  return found;
}

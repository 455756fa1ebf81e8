import { randomUUID } from 'node:crypto';
import { rmSync } from 'node:fs';
import { documentStreamId, incidentDecider, incidentStreamId } from '@accord/domain';
import { EVENT_STORE, EventStore, RecordedEvent } from '@accord/event-store';
import { AppLogger, ReadYourWrites, runCommand } from '@accord/platform';
import { createApiApp } from '../../../apps/api/src/create-api-app';
import { IncidentDetectorHost } from '../../../apps/api/src/incidents/incident-detector.host';
import { RunningApi } from '../../api/support/api-harness';
import { ApiClient, Reply, World, WorldOrg } from '../../authz/world';
import { openContent, organisationKey, share } from '../../documents/support/documents-partnership';
import { PAIR_PURPOSE, pairTerms } from '../../documents/support/documents-pair';

/** Small thresholds, so each rule is crossed with a handful of real requests. */
export const INCIDENT_ENV = {
  ACCORD_DETECT_DENIALS: '3',
  ACCORD_DETECT_DENIAL_WINDOW_MINUTES: '10',
  ACCORD_DETECT_VOLUME_MIN: '4',
  ACCORD_DETECT_VOLUME_FACTOR: '3',
};

export interface Incident {
  id: string;
  kind: string;
  severity: string;
  status: string;
  userId: string;
  orgIds: string[];
  evidence: string[];
  documentIds: string[];
  breachId: string | null;
  summary: string;
}

/** Waits until the detector has seen every event in the log and raised what it found, then the read models. */
export async function settleIncidents(api: RunningApi): Promise<void> {
  await api.app.get(IncidentDetectorHost).settle();
  await api.app.get(ReadYourWrites).catchUp();
}

/** The incidents an auditor (who sees all) reads for one user, after settling. */
export async function incidentsOf(api: RunningApi, auditor: ApiClient, userId: string): Promise<Incident[]> {
  await settleIncidents(api);
  const items = (await auditor.ok('GET', '/incidents', 200)).body.items as Incident[];
  return items.filter((i) => i.userId === userId);
}

export const kinds = (items: Incident[]): string[] => items.map((i) => i.kind).sort();

/** Ids of a user's events of `type` on a document's stream, in order. */
export async function eventIdsOf(
  store: EventStore,
  documentId: string,
  userId: string,
  type: string,
): Promise<string[]> {
  const events: RecordedEvent[] = await store.readStream(documentStreamId(documentId));
  return events
    .filter((e) => e.type === type && 'userId' in e.meta.actor && e.meta.actor.userId === userId)
    .map((e) => e.eventId);
}

export const open = async (client: ApiClient, documentId: string, headers?: Record<string, string>) =>
  (await openContent(client, documentId, headers)).status;

/**
 * Three organisations under one agreement (the sender leads), each with a key, and a document shared to the
 * other two: the third is then dropped from the agreement by an amendment both others sign.
 */
export async function threePartyShare(
  world: World,
  sender: WorldOrg,
  recipient: WorldOrg,
  third: WorldOrg,
): Promise<{ agreementId: string; documentId: string; dropThird(): Promise<void> }> {
  for (const org of [sender, recipient, third]) {
    const key = await organisationKey(org.id);
    await world
      .client(org.users['ig-lead'].token)
      .ok('POST', `/organisations/${org.id}/keys`, 201, { body: { publicKey: key.publicKey } });
  }
  const lead = world.client(sender.users['ig-lead'].token);
  const parties = [sender.id, recipient.id, third.id];
  const { body } = await lead.ok('POST', '/agreements', 201, { body: pairTerms(sender.id, parties) });
  const agreementId = body.id as string;
  const signAll = async (orgs: WorldOrg[]) => {
    for (const org of orgs)
      await world
        .client(org.users['ig-lead'].token)
        .ok('POST', `/agreements/${agreementId}/signatures`, 201, {
          body: { signatory: 'Test Signatory', position: 'Caldicott Guardian' },
        });
  };
  await signAll([sender, recipient, third]);
  const reply: Reply = await share(
    world.client(sender.users.practitioner.token),
    {
      agreementId,
      recipients: [recipient.id, third.id],
      purpose: PAIR_PURPOSE,
      dataCategories: ['name'],
      nature: 'fact',
      title: 'Three-party document',
    },
    'three-party body',
  );
  if (reply.status !== 201) throw new Error(`share failed: ${JSON.stringify(reply.body)}`);
  return {
    agreementId,
    documentId: reply.body.documentId as string,
    async dropThird() {
      await lead.ok('POST', `/agreements/${agreementId}/amendments`, 201, {
        body: { changes: { parties: [sender.id, recipient.id] }, reasonForChange: 'partner left' },
      });
      await signAll([sender, recipient]);
    },
  };
}

/**
 * Stops the api (keeping its data directory), optionally deletes its read.db as a lost disk would, and
 * starts a new api on the same directory. Returns the new api; its close() removes the directory.
 */
export async function restart(
  api: RunningApi,
  options: { loseReadModels?: boolean } = {},
): Promise<RunningApi> {
  await api.app.close();
  if (options.loseReadModels)
    for (const suffix of ['', '-wal', '-shm'])
      rmSync(`${api.config.readModels.file}${suffix}`, { force: true });
  const logger = AppLogger.create('silent');
  const app = await createApiApp(api.config, logger);
  await app.listen(0, '127.0.0.1');
  const url = (await app.getUrl()).replace('[::1]', '127.0.0.1');
  return {
    url,
    app,
    config: api.config,
    logs: [],
    close: async () => {
      await app.close();
      rmSync(api.config.dataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Records an incident as the detector records one, through the incident decider, at a chosen detection
 * time (ties and order are what paging is checked on), and waits for the read models.
 */
export async function recordIncident(
  api: RunningApi,
  org: { id: string; userId: string },
  detectedAt: string,
): Promise<string> {
  const store = api.app.get<EventStore>(EVENT_STORE);
  const id = randomUUID();
  const outcome = await runCommand(
    store,
    incidentStreamId(id),
    incidentDecider,
    {
      type: 'RecordIncident',
      data: {
        kind: 'non-uk-access',
        severity: 'high',
        summary: 'paging',
        userId: org.userId,
        orgId: org.id,
        orgIds: [org.id],
        documentIds: [],
        evidence: [randomUUID()],
        detectedAt,
      },
      metadata: { now: new Date(detectedAt) },
    },
    {
      meta: {
        occurredAt: new Date().toISOString(),
        actor: { system: 'detector' },
        correlationId: randomUUID(),
      },
    },
  );
  await api.app.get(ReadYourWrites).settle(outcome.position);
  return id;
}

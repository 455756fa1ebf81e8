import { documentStreamId } from '@accord/domain';
import { uuidv7 } from '@accord/event-store';
import { OBJECT_STORE, ObjectStore } from '@accord/object-store';
import { ReadYourWrites } from '@accord/platform';
import { ApiClient } from '../authz/world';
import {
  buildDocumentsPartnership,
  codeOf,
  DocumentsPartnership,
  HOSPITAL,
  lastEvent,
  openContent,
  POLICE,
  SENDER,
  share,
  shareMetadata,
} from './support/documents-partnership';

/** Who sees which metadata, who may open content, and every refusal of an open recorded as its event. */
describe('documents: visibility and opening', () => {
  let p: DocumentsPartnership;
  let toPolice: string;
  let toHospital: string;
  let police: ApiClient;
  let hospital: ApiClient;
  let outsider: ApiClient;

  const settle = () => p.world.api.app.get(ReadYourWrites).catchUp();

  async function shareTo(recipient: string, overrides: Record<string, unknown> = {}): Promise<string> {
    const reply = await share(
      p.practitioner,
      shareMetadata(p, { recipients: [recipient], ...overrides }),
      'body',
    );
    if (reply.status !== 201) throw new Error(`share failed: ${JSON.stringify(reply.body)}`);
    return reply.body.documentId;
  }

  async function refusedOpen(client: ApiClient, id: string, status: number, code: string, headers = {}) {
    const opened = await openContent(client, id, headers);
    expect({ status: opened.status, code: opened.problem?.type.split('/').pop() }).toEqual({ status, code });
    return lastEvent(p, id);
  }

  beforeAll(async () => {
    p = await buildDocumentsPartnership();
    toPolice = await shareTo(POLICE, {
      subjects: [{ scheme: 'local-ref', value: 'scc/2025/17' }],
      title: 'Police referral',
    });
    toHospital = await shareTo(HOSPITAL, { subjects: [{ scheme: 'nhs-number', value: '9434765919' }] });
    police = await p.practitionerOf(POLICE);
    hospital = await p.practitionerOf(HOSPITAL);
    outsider = await p.practitionerOf('probation');
    await settle();
  });
  afterAll(() => p?.close());

  describe('metadata', () => {
    it('lists what the caller’s organisation sent or received, and nothing else', async () => {
      const ids = async (client: ApiClient, query = '') =>
        ((await client.ok('GET', `/documents${query}`, 200)).body.items as { id: string }[]).map((d) => d.id);
      expect(await ids(p.practitioner)).toEqual([toHospital, toPolice]);
      expect(await ids(police)).toEqual([toPolice]);
      expect(await ids(hospital)).toEqual([toHospital]);
      expect(await ids(outsider)).toEqual([]);
      expect(await ids(p.practitioner, `?agreement=${p.agreementId}`)).toEqual([toHospital, toPolice]);
      expect(await ids(p.practitioner, '?agreement=00000000-0000-7000-8000-000000000000')).toEqual([]);
    });

    it('filters by subject through its HMAC reference; spacing and case do not matter', async () => {
      const ids = async (subject: string) =>
        (
          (await p.practitioner.ok('GET', `/documents?subject=${encodeURIComponent(subject)}`, 200)).body
            .items as {
            id: string;
          }[]
        ).map((d) => d.id);
      expect(await ids('local-ref:SCC/2025/17')).toEqual([toPolice]);
      expect(await ids('nhs-number:943 476 5919')).toEqual([toHospital]);
      expect(await ids('nhs-number:4010232137')).toEqual([]);
      const bad = await p.practitioner.get('/documents?subject=nhs-number:1234567890');
      expect({ status: bad.status, code: codeOf(bad) }).toEqual({
        status: 422,
        code: 'subject.nhs-number-invalid',
      });
      expect(JSON.stringify(bad.body)).not.toContain('1234567890');
    });

    it('one document’s metadata for its parties; 404 for anyone else, as for an id never shared', async () => {
      const seen = await police.ok('GET', `/documents/${toPolice}`, 200);
      expect(seen.body).toMatchObject({
        id: toPolice,
        senderOrg: SENDER,
        recipients: [POLICE],
        title: 'Police referral',
        subjectCount: 1,
        state: 'active',
        mode: 'server-encrypted',
      });
      expect(seen.body).not.toHaveProperty('subjectRefs');
      for (const [client, id] of [
        [hospital, toPolice],
        [outsider, toPolice],
        [police, '00000000-0000-7000-8000-000000000000'],
      ] as const) {
        const reply = await client.get(`/documents/${id}`);
        expect({ status: reply.status, code: codeOf(reply) }).toEqual({
          status: 404,
          code: 'document.not-found',
        });
      }
      const admin = await p.world.asAdmin.get(`/documents/${toPolice}`);
      expect(admin.status).toBe(403);
    });
  });

  describe('content', () => {
    it('an organisation neither sender nor recipient: 404 as if absent, and AccessDenied open.not-a-recipient', async () => {
      const event = await refusedOpen(hospital, toPolice, 404, 'document.not-found');
      expect(event).toMatchObject({
        type: 'AccessDenied',
        data: { reason: 'open.not-a-recipient', orgId: HOSPITAL },
      });
    });

    it('an auditor of a recipient organisation never gets content: 403 and AccessDenied', async () => {
      const auditor = p.world.client((await p.world.enrol(POLICE, 'auditor')).token);
      const event = await refusedOpen(auditor, toPolice, 403, 'open.role-not-permitted');
      expect(event).toMatchObject({
        type: 'AccessDenied',
        data: { reason: 'open.role-not-permitted', orgId: POLICE },
      });
      expect(event!.meta.actor).toMatchObject({ role: 'auditor' });
    });

    it('the platform admin never gets content: 403 and AccessDenied (once past the access agreement)', async () => {
      const before = await p.world.asAdmin.get(`/documents/${toPolice}/content`);
      expect(codeOf(before)).toBe('user.access-agreement-not-accepted');
      await p.world.asAdmin.ok('POST', '/me/access-agreement', 200, { body: { version: 1 } });
      const event = await refusedOpen(p.world.asAdmin, toPolice, 403, 'open.role-not-permitted');
      expect(event).toMatchObject({ type: 'AccessDenied', data: { reason: 'open.role-not-permitted' } });
      expect(event!.meta.actor).toMatchObject({ role: 'admin' });
    });

    it('a client a trusted proxy places in GB opens; one it places in France is refused with TransferBlocked', async () => {
      const ok = await openContent(police, toPolice, { 'x-client-country': 'GB' });
      expect(ok.status).toBe(200);
      expect((await lastEvent(p, toPolice))!.data).toMatchObject({ client: { country: 'GB' } });
      const event = await refusedOpen(police, toPolice, 403, 'transfer.client-outside-uk', {
        'x-client-country': 'fr',
      });
      expect(event).toMatchObject({
        type: 'TransferBlocked',
        data: { reason: 'transfer.client-outside-uk', destination: 'FR', orgId: POLICE },
      });
      expect(event!.meta.client).toMatchObject({ country: 'FR' });
    });

    it('once the payload is destroyed: 410 Gone and AccessDenied open.payload-destroyed', async () => {
      const id = await shareTo(POLICE);
      const events = await p.store.readStream(documentStreamId(id));
      const objectKey = String(events.find((e) => e.type === 'DocumentShared')!.data['objectKey']);
      const last = events[events.length - 1]!;
      await p.store.append(
        documentStreamId(id),
        [
          {
            eventId: uuidv7(),
            type: 'PayloadDestroyed',
            data: { objectKey },
            meta: {
              occurredAt: new Date().toISOString(),
              actor: { system: 'retention' },
              correlationId: 'test',
            },
          },
        ],
        last.revision,
      );
      const objects = p.world.api.app.get<ObjectStore>(OBJECT_STORE);
      await objects.delete(objectKey);
      expect(await objects.head(objectKey)).toBeNull();

      const event = await refusedOpen(police, id, 410, 'open.payload-destroyed');
      expect(event).toMatchObject({
        type: 'AccessDenied',
        data: { reason: 'open.payload-destroyed', orgId: POLICE },
      });
      await settle();
      expect((await police.ok('GET', `/documents/${id}`, 200)).body).toMatchObject({
        state: 'destroyed',
        payloadDestroyed: true,
      });
    });

    it('a suspended agreement stops opening: 403 open.agreement-suspended, recorded', async () => {
      const id = await shareTo(POLICE);
      await p.lead[SENDER]!.ok('POST', `/agreements/${p.agreementId}/suspension`, 201, {
        body: { reason: 'breach' },
      });
      try {
        const event = await refusedOpen(police, id, 403, 'open.agreement-suspended');
        expect(event).toMatchObject({ type: 'AccessDenied', data: { reason: 'open.agreement-suspended' } });
      } finally {
        await p.lead[SENDER]!.ok('DELETE', `/agreements/${p.agreementId}/suspension`, 200, {
          body: { reason: 'resolved' },
        });
      }
      expect((await openContent(police, id)).status).toBe(200);
    });

    it('a suspended user is refused and the attempt recorded; every other route refuses them at the door', async () => {
      const id = await shareTo(POLICE);
      const officer = await p.world.enrol(POLICE, 'practitioner');
      const client = p.world.client(officer.token);
      expect((await openContent(client, id)).status).toBe(200);
      await p.lead[POLICE]!.ok('POST', `/users/${officer.userId}/suspension`, 200, {
        body: { reason: 'containment after a breach' },
      });
      const event = await refusedOpen(client, id, 403, 'open.user-suspended');
      expect(event).toMatchObject({
        type: 'AccessDenied',
        data: { reason: 'open.user-suspended', orgId: POLICE },
        meta: { actor: { userId: officer.userId, orgId: POLICE, role: 'practitioner' } },
      });
      // As an outsider learns nothing about a document, neither does a suspended outsider.
      const outsiderOfficer = await p.world.enrol('probation', 'practitioner');
      await p.lead['probation']!.ok('POST', `/users/${outsiderOfficer.userId}/suspension`, 200, {
        body: { reason: 'containment' },
      });
      const outsiderEvent = await refusedOpen(
        p.world.client(outsiderOfficer.token),
        id,
        404,
        'document.not-found',
      );
      expect(outsiderEvent).toMatchObject({ type: 'AccessDenied', data: { reason: 'open.not-a-recipient' } });
      // The metadata read `accord fetch` makes first is refused and recorded the same way: refused at the
      // door, it ended the fetch before the open, and the suspended user's attempt was in no record.
      const metadata = await client.request('GET', `/documents/${id}`);
      expect([metadata.status, codeOf(metadata)]).toEqual([403, 'open.user-suspended']);
      expect(await lastEvent(p, id)).toMatchObject({
        type: 'AccessDenied',
        data: { reason: 'open.user-suspended', orgId: POLICE },
        meta: { actor: { userId: officer.userId } },
      });
      const outsiderRead = await p.world.client(outsiderOfficer.token).request('GET', `/documents/${id}`);
      expect([outsiderRead.status, codeOf(outsiderRead)]).toEqual([404, 'document.not-found']);
      expect(await lastEvent(p, id)).toMatchObject({ data: { reason: 'metadata.not-a-party' } });
      // Anywhere else a suspended token is refused before anything runs, and nothing is recorded.
      const before = await p.store.headPosition();
      const listed = await client.request('GET', '/documents');
      expect([listed.status, codeOf(listed)]).toEqual([403, 'user.suspended']);
      expect(await p.store.headPosition()).toBe(before);
    });

    it('an id never shared: 404, and nothing is recorded', async () => {
      const before = await p.store.headPosition();
      const opened = await openContent(police, '00000000-0000-7000-8000-0000000000ff');
      expect(opened.status).toBe(404);
      expect(await p.store.headPosition()).toBe(before);
    });
  });
});

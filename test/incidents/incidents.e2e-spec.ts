import { EVENT_STORE, EventStore } from '@accord/event-store';
import { IncidentDetectorHost } from '../../apps/api/src/incidents/incident-detector.host';
import { RunningApi } from '../api/support/api-harness';
import { ApiClient, WorldOrg } from '../authz/world';
import { buildRetentionWorld, RetentionWorld } from '../retention/support/retention-world';
import {
  eventIdsOf,
  Incident,
  INCIDENT_ENV,
  incidentsOf,
  kinds,
  open,
  recordIncident,
  restart,
  settleIncidents,
  threePartyShare,
} from './support/incidents-world';

const MINUTE = 60_000;

/**
 * Issue 7: security incidents raised by the platform from real requests, with thresholds set small
 * (3 refusals in 10 minutes; 4 opens a day with no history). Each rule is crossed by real opens, and shown
 * not to fire one short of its threshold.
 */
describe('security incidents detected as events arrive', () => {
  let w: RetentionWorld;
  let api: RunningApi;
  let store: EventStore;
  let auditor: ApiClient;
  let documentId: string;
  let outsiderOrg: WorldOrg;
  let sliderOrg: WorldOrg;
  const client = (token: string) => w.world.client(token);
  /** A fresh practitioner of the recipient organisation, so each rule sees only its own test's events. */
  const newRecipientUser = async (): Promise<[ApiClient, string]> => {
    const user = await w.world.enrol(w.pair.recipient.id, 'practitioner');
    return [client(user.token), user.userId];
  };

  beforeAll(async () => {
    w = await buildRetentionWorld(INCIDENT_ENV);
    api = w.api;
    store = api.app.get<EventStore>(EVENT_STORE);
    auditor = client(w.pair.sender.users.auditor.token);
    documentId = (await w.shareDocument(365 * 24 * 60 * MINUTE)).documentId;
    outsiderOrg = await w.world.newOrganisation('outsider');
  });
  afterAll(() => api?.close());

  it('denials-burst: fires at the third refused open within 10 minutes, once per burst, with each refusal as evidence', async () => {
    const outsider = client(outsiderOrg.users.practitioner.token);
    const userId = outsiderOrg.users.practitioner.userId;
    expect([await open(outsider, documentId), await open(outsider, documentId)]).toEqual([404, 404]);
    expect(await incidentsOf(api, auditor, userId)).toEqual([]);

    expect(await open(outsider, documentId)).toBe(404);
    expect(await open(outsider, documentId)).toBe(404);
    const [burst, ...more] = await incidentsOf(api, auditor, userId);
    expect(more).toEqual([]);
    const denials = await eventIdsOf(store, documentId, userId, 'AccessDenied');
    expect(burst).toMatchObject({
      kind: 'denials-burst',
      status: 'open',
      evidence: denials.slice(0, 3),
      documentIds: [documentId],
      orgIds: expect.arrayContaining([outsiderOrg.id, w.pair.sender.id, w.pair.recipient.id]),
    });
  });

  it('denials-burst slides: refusals more than 10 minutes apart do not add up', async () => {
    const org = (sliderOrg = await w.world.newOrganisation('slider'));
    const slider = client(org.users.practitioner.token);
    await open(slider, documentId);
    await open(slider, documentId);
    w.advance(11 * MINUTE);
    await open(slider, documentId);
    expect(await incidentsOf(api, auditor, org.users.practitioner.userId)).toEqual([]);
    await open(slider, documentId);
    expect(kinds(await incidentsOf(api, auditor, org.users.practitioner.userId))).toEqual([]);
    await open(slider, documentId);
    expect(kinds(await incidentsOf(api, auditor, org.users.practitioner.userId))).toEqual(['denials-burst']);
  });

  it('non-uk-access: an open from France is refused and raised; an open from the UK is not', async () => {
    const [traveller, userId] = await newRecipientUser();
    expect(await open(traveller, documentId, { 'x-client-country': 'GB' })).toBe(200);
    expect(await incidentsOf(api, auditor, userId)).toEqual([]);

    expect(await open(traveller, documentId, { 'x-client-country': 'FR' })).toBe(403);
    const blocked = await eventIdsOf(store, documentId, userId, 'TransferBlocked');
    const found = await incidentsOf(api, auditor, userId);
    expect(found).toEqual([
      expect.objectContaining({ kind: 'non-uk-access', severity: 'high', evidence: blocked }),
    ]);
    expect(found[0]!.summary).toContain('FR');
  });

  it('open-destroyed-or-restricted: opening a destroyed document is raised; opening it before was not', async () => {
    const [reader, userId] = await newRecipientUser();
    const shortLived = (await w.shareDocument(MINUTE)).documentId;
    expect(await open(reader, shortLived)).toBe(200);
    expect(await incidentsOf(api, auditor, userId)).toEqual([]);

    w.advance(2 * MINUTE);
    expect(await w.sweepAndSettle()).toContain(shortLived);
    expect(await open(reader, shortLived)).toBe(410);
    const denied = await eventIdsOf(store, shortLived, userId, 'AccessDenied');
    expect(await incidentsOf(api, auditor, userId)).toEqual([
      expect.objectContaining({
        kind: 'open-destroyed-or-restricted',
        evidence: denied,
        documentIds: [shortLived],
      }),
    ]);
  });

  it('unusual-volume: the fourth open of the day by a user with no history is raised, once', async () => {
    const [busy, userId] = await newRecipientUser();
    for (let i = 0; i < 3; i++) expect(await open(busy, documentId)).toBe(200);
    expect(await incidentsOf(api, auditor, userId)).toEqual([]);
    expect(await open(busy, documentId)).toBe(200);
    expect(await open(busy, documentId)).toBe(200);
    const opened = await eventIdsOf(store, documentId, userId, 'DocumentAccessed');
    expect(await incidentsOf(api, auditor, userId)).toEqual([
      expect.objectContaining({ kind: 'unusual-volume', evidence: opened.slice(0, 4) }),
    ]);
  });

  it('ex-party-download: a download by an organisation dropped from the agreement is raised; before, it was not', async () => {
    const third = await w.world.newOrganisation('leaver');
    const shared = await threePartyShare(w.world, w.pair.sender, w.pair.recipient, third);
    const leaver = client(third.users.practitioner.token);
    const userId = third.users.practitioner.userId;
    expect(await open(leaver, shared.documentId)).toBe(200);
    expect(await incidentsOf(api, auditor, userId)).toEqual([]);

    await shared.dropThird();
    // Opening rests on the document's recipients, so the download still succeeds: exactly what to flag.
    expect(await open(leaver, shared.documentId)).toBe(200);
    const opened = await eventIdsOf(store, shared.documentId, userId, 'DocumentAccessed');
    expect(await incidentsOf(api, auditor, userId)).toEqual([
      expect.objectContaining({ kind: 'ex-party-download', severity: 'high', evidence: [opened[1]] }),
    ]);
  });

  describe('reading, promoting and dismissing', () => {
    let nonUk: Incident;
    let burst: Incident;
    const lead = (org: WorldOrg) => client(org.users['ig-lead'].token);

    beforeAll(async () => {
      await settleIncidents(api);
      const all = (await auditor.ok('GET', '/incidents', 200)).body.items as Incident[];
      nonUk = all.find((i) => i.kind === 'non-uk-access')!;
      burst = all.find((i) => i.kind === 'denials-burst' && i.orgIds.includes(outsiderOrg.id))!;
    });

    it('an IG lead sees incidents involving their organisation only; others read not found', async () => {
      const outsiderIncidents = (await lead(outsiderOrg).ok('GET', '/incidents', 200)).body
        .items as Incident[];
      expect(outsiderIncidents.map((i) => i.id)).toEqual([burst.id]);
      const stranger = await w.world.newOrganisation('stranger');
      expect((await lead(stranger).ok('GET', '/incidents', 200)).body.items).toEqual([]);
      expect((await lead(stranger).get(`/incidents/${nonUk.id}`)).status).toBe(404);
      expect((await lead(w.pair.sender).ok('GET', `/incidents/${nonUk.id}`, 200)).body).toMatchObject({
        id: nonUk.id,
      });
      expect((await client(w.pair.sender.users.practitioner.token).get('/incidents')).status).toBe(403);
    });

    it('promotes an incident to a breach report in one call; the breach is in GET /breaches, and a repeat reports nothing twice', async () => {
      const promoted = await lead(w.pair.sender).ok('POST', `/incidents/${nonUk.id}/promote`, 201, {
        body: { nearMiss: true },
        headers: { 'idempotency-key': 'promote-1' },
      });
      expect(promoted.body).toMatchObject({ id: nonUk.id, status: 'promoted', breachId: expect.any(String) });
      const breachId = promoted.body.breachId as string;
      const breach = await lead(w.pair.sender).ok('GET', `/breaches/${breachId}`, 200);
      expect(breach.body).toMatchObject({ nearMiss: true, severity: 'high', reportedBy: w.pair.sender.id });
      expect(breach.body.description).toContain(nonUk.id);
      expect(breach.body.documentIds).toEqual(nonUk.documentIds);

      const again = await lead(w.pair.recipient).ok('POST', `/incidents/${nonUk.id}/promote`, 201, {
        body: { nearMiss: false },
      });
      expect(again.body.breachId).toBe(breachId);
      const breaches = (await lead(w.pair.sender).ok('GET', '/breaches', 200)).body.items as { id: string }[];
      expect(breaches.filter((b) => b.id === breachId)).toHaveLength(1);
      const dismissed = await lead(w.pair.sender).post(`/incidents/${nonUk.id}/dismiss`, { reason: 'x' });
      expect([dismissed.status, dismissed.body.type.split('/').pop()]).toEqual([
        409,
        'incident.already-promoted',
      ]);
    });

    it("an outsider's own denials-burst is promoted to a breach naming none of the documents it was refused", async () => {
      const sliderLead = lead(sliderOrg);
      const [theirs] = (await sliderLead.ok('GET', '/incidents', 200)).body.items as Incident[];
      expect(theirs).toMatchObject({ kind: 'denials-burst', documentIds: [documentId] });
      const promoted = await sliderLead.ok('POST', `/incidents/${theirs.id}/promote`, 201, {
        body: { nearMiss: true },
      });
      const breach = await sliderLead.ok('GET', `/breaches/${promoted.body.breachId as string}`, 200);
      expect(breach.body).toMatchObject({ documentIds: [], reportedBy: sliderOrg.id });
      expect(breach.body.description).toContain(theirs!.id);
    });

    it('dismisses an incident with a reason; a dismissed incident cannot be promoted', async () => {
      const reply = await lead(outsiderOrg).ok('POST', `/incidents/${burst.id}/dismiss`, 201, {
        body: { reason: 'user mistyped a link while testing' },
      });
      expect(reply.body).toMatchObject({
        status: 'dismissed',
        dismissal: 'user mistyped a link while testing',
      });
      const promote = await lead(outsiderOrg).post(`/incidents/${burst.id}/promote`, { nearMiss: true });
      expect([promote.status, promote.body.type.split('/').pop()]).toEqual([409, 'incident.dismissed']);
    });
  });

  it('a restart, even one that lost the read models and replays the whole log, raises no incident twice', async () => {
    await settleIncidents(api);
    const countRaised = async (s: EventStore) => {
      let n = 0;
      for await (const page of s.readAll())
        n += page.filter((e) => e.type === 'SecurityIncidentDetected').length;
      return n;
    };
    const before = await countRaised(store);
    expect(before).toBeGreaterThanOrEqual(6);

    api = await restart(api, { loseReadModels: true });
    store = api.app.get<EventStore>(EVENT_STORE);
    await settleIncidents(api);
    expect(await countRaised(store)).toBe(before);
    const reader = new ApiClient(api.url, w.pair.sender.users.auditor.token);
    const items = (await reader.ok('GET', '/incidents', 200)).body.items as Incident[];
    expect(items).toHaveLength(before);
    expect(items.map((i) => i.status).sort()).toEqual(
      [...Array(before - 3).fill('open'), 'dismissed', 'promoted', 'promoted'].sort(),
    );
  });

  it('pages GET /incidents by limit and after: every incident once, newest first, ties by id, none repeated when one is detected meanwhile', async () => {
    await settleIncidents(api);
    const reader = new ApiClient(api.url, w.pair.sender.users.auditor.token);
    const org = { id: outsiderOrg.id, userId: outsiderOrg.users.practitioner.userId };
    // Three detected at the same instant: the page boundary falls between ties.
    for (let i = 0; i < 3; i++) await recordIncident(api, org, '2000-01-01T00:00:00.000Z');
    const all = (await reader.ok('GET', '/incidents?limit=1000', 200)).body;
    expect(all.nextAfter).toBeNull();
    const ids = (all.items as Incident[]).map((i) => i.id);
    expect(ids.length).toBeGreaterThanOrEqual(3);

    const first = (await reader.ok('GET', '/incidents?limit=2', 200)).body;
    expect((first.items as Incident[]).map((i) => i.id)).toEqual(ids.slice(0, 2));
    // Newer than every other: with offset paging the next page would repeat the second item.
    const newer = await recordIncident(api, org, '2099-01-01T00:00:00.000Z');
    const paged = (first.items as Incident[]).map((i) => i.id);
    let after: string | null = first.nextAfter;
    while (after !== null) {
      const page = (await reader.ok('GET', `/incidents?limit=2&after=${after}`, 200)).body;
      expect(page.items.length).toBeGreaterThan(0);
      paged.push(...(page.items as Incident[]).map((i) => i.id));
      after = page.nextAfter;
    }
    expect(paged).toEqual(ids);
    expect((await reader.ok('GET', '/incidents?limit=1', 200)).body.items[0].id).toBe(newer);

    for (const bad of ['after=yesterday', 'limit=0', 'limit=1001'])
      expect((await reader.get(`/incidents?${bad}`)).status).toBe(400);
  });
  // Last: it stops this api's detector.
  it('/health reports the detector, and a stopped detector makes the node degraded', async () => {
    await settleIncidents(api);
    const health = async () => {
      const res = await fetch(`${api.url}/health`);
      return {
        status: res.status,
        body: (await res.json()) as { status: string; components: Record<string, Record<string, unknown>> },
      };
    };
    const up = await health();
    expect(up.status).toBe(200);
    expect(up.body.components.incidentDetector).toMatchObject({
      ok: true,
      running: true,
      lag: 0,
      stalled: false,
    });
    await api.app.get(IncidentDetectorHost).projector.stop();
    const down = await health();
    expect(down.status).toBe(503);
    expect(down.body.status).toBe('degraded');
    expect(down.body.components.incidentDetector).toMatchObject({ ok: false, running: false });
  });
});

import { EVENT_STORE } from '@accord/event-store';
import { ACCORD_CONFIG, AppLogger, Clock, READ_DB } from '@accord/platform';
import { WebhookDispatcher } from '../../apps/api/src/webhooks/webhook-dispatcher';
import { WebhookSecrets } from '../../apps/api/src/webhooks/webhook-secrets';
import { WebhookSender } from '../../apps/api/src/webhooks/webhook-sender';
import { verifyWebhookSignature } from '../../apps/api/src/webhooks/webhook-signature';
import { ApiClient, World, WorldOrg } from '../authz/world';
import { RestartableApi } from './support/restartable-api';
import { WebhookReceiver } from './support/webhook-receiver';

/**
 * Issue 7: on POST /breaches every notified organisation with a webhook gets a signed POST, retried with
 * backoff. A real receiver on 127.0.0.1 verifies each request with the secret the platform returned at
 * configuration. Nothing is timed: each check polls the delivery's state under one generous deadline.
 */
const DESCRIPTION = 'Letter about a named child posted to the wrong address';

async function eventually<T>(
  what: string,
  probe: () => Promise<T | undefined>,
  timeoutMs = 30_000,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 25));
  }
}

interface Delivery {
  id: string;
  breachId: string;
  status: string;
  attempts: number;
  lastStatus: number | null;
}

describe('signed breach webhooks', () => {
  const api = new RestartableApi({
    ACCORD_WEBHOOK_ALLOW_INSECURE_LOCALHOST: 'true',
    ACCORD_WEBHOOK_RETRY_BASE_MS: '20',
    ACCORD_WEBHOOK_POLL_INTERVAL_MS: '20',
    ACCORD_WEBHOOK_MAX_ATTEMPTS: '12',
  });
  let receiver: WebhookReceiver;
  let world: World;
  let url: string;
  let third: WorldOrg;
  let agreementId: string;
  const lead = (org: WorldOrg) => new ApiClient(url, org.users['ig-lead'].token);
  const deliveriesOf = async (org: WorldOrg): Promise<Delivery[]> =>
    (await lead(org).ok('GET', `/organisations/${org.id}/webhook/deliveries`, 200)).body.items;
  const deliveryOf = async (org: WorldOrg, breachId: string) =>
    (await deliveriesOf(org)).find((d) => d.breachId === breachId);
  const configure = async (org: WorldOrg, path: string) => {
    const { body } = await lead(org).ok('PUT', `/organisations/${org.id}/webhook`, 200, {
      body: { url: receiver.origin + path },
    });
    receiver.secrets.set(path, body.secret);
    return body;
  };
  const reportBreach = async (nearMiss = false): Promise<string> =>
    (
      await lead(world.org('own')).ok('POST', '/breaches', 201, {
        body: {
          discoveredAt: '2026-01-05T09:00:00.000Z',
          description: DESCRIPTION,
          nearMiss,
          severity: 'high',
          agreementId,
          dataCategories: ['name'],
          approxSubjects: 1,
        },
      })
    ).body.id;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    world = await World.build(await api.start());
    url = world.url;
    third = await world.newOrganisation('third');
    const own = world.org('own');
    agreementId = (
      await lead(own).ok('POST', '/agreements', 201, {
        body: {
          title: 'Webhook test agreement',
          purposes: ['safeguarding'],
          tier: 1,
          category: 'Safer Community',
          leadOrg: own.id,
          parties: [own.id, world.org('other').id, third.id],
          lawfulBases: ['uk-gdpr-art6-1-e'],
          dataCategories: ['name'],
          retentionPeriod: 'P1Y',
        },
      })
    ).body.id;
  });
  afterAll(async () => {
    await api.dispose();
    await receiver?.close();
  });

  it('refuses a webhook URL that is not https (local http only when configured), or carries credentials', async () => {
    const client = lead(world.org('other'));
    for (const bad of [
      'http://hooks.example.org/accord',
      'https://user:pw@hooks.example.org/',
      'https://10.0.0.8/',
    ]) {
      const reply = await client.request('PUT', `/organisations/${world.org('other').id}/webhook`, {
        body: { url: bad },
      });
      expect({ status: reply.status, type: reply.body.type }).toEqual({
        status: 422,
        type: expect.stringContaining('webhook.url-invalid'),
      });
      expect(JSON.stringify(reply.body)).not.toContain('pw@');
    }
    await client.ok('GET', `/organisations/${world.org('other').id}/webhook`, 404);
  });

  it('returns the signing secret once, at configuration; reading the webhook never shows it', async () => {
    // A retried PUT (same Idempotency-Key) answers as the first: the same secret, nothing rotated twice.
    const retried = await Promise.all(
      [1, 2].map(async () => {
        const reply = await lead(world.org('other')).ok(
          'PUT',
          `/organisations/${world.org('other').id}/webhook`,
          200,
          {
            body: { url: `${receiver.origin}/other` },
            headers: { 'idempotency-key': 'webhook-put-1' },
          },
        );
        return reply.body.secret as string;
      }),
    );
    expect(retried[0]).toBe(retried[1]);
    const configured = await configure(world.org('other'), '/other');
    expect(configured).toMatchObject({
      url: `${receiver.origin}/other`,
      secret: expect.stringMatching(/^whsec_/),
    });
    const { body } = await lead(world.org('other')).ok(
      'GET',
      `/organisations/${world.org('other').id}/webhook`,
      200,
    );
    expect(body).toEqual({
      orgId: world.org('other').id,
      url: `${receiver.origin}/other`,
      secretId: configured.secretId,
      configuredAt: expect.any(String),
    });
    expect(JSON.stringify(body)).not.toContain(configured.secret);
  });

  it('delivers a signed breach notice, retried after the receiver fails the first attempt', async () => {
    receiver.answer = (path, attempt) => (path === '/other' && attempt === 1 ? 500 : 200);
    const breachId = await reportBreach();

    const delivered = await eventually('the delivery to other', async () => {
      const d = await deliveryOf(world.org('other'), breachId);
      return d?.status === 'delivered' ? d : undefined;
    });
    expect(delivered).toMatchObject({ attempts: 2, lastStatus: 200 });

    const requests = receiver.for('/other');
    expect(requests.map((r) => [r.verdict, r.answered])).toEqual([
      ['valid', 500],
      ['valid', 200],
    ]);
    // The same notice each time: one id to de-duplicate on, the same bytes, a fresh timestamp and signature.
    expect(new Set(requests.map((r) => r.headers['accord-webhook-id']))).toEqual(new Set([delivered.id]));
    expect(requests[0]!.body).toBe(requests[1]!.body);
    expect(requests.map((r) => r.headers['accord-webhook-attempt'])).toEqual(['1', '2']);
    expect(requests[1]!.headers['content-type']).toBe('application/json');
    expect(requests[1]!.headers['accord-signature']).toMatch(/^v1=[0-9a-f]{64}$/);

    const body = JSON.parse(requests[1]!.body);
    expect(body).toEqual({
      id: delivered.id,
      type: 'breach.partners-notified',
      occurredAt: expect.any(String),
      breachId,
      severity: 'high',
      nature: 'breach',
      reportingOrg: world.org('own').id,
      agreementId,
      deadline: '2026-01-08T09:00:00.000Z',
    });
    // No personal data travels: never the description.
    expect(requests[1]!.body).not.toContain('wrong address');
  });

  it('sends nothing to an organisation without a webhook, though its inbox has the notice', async () => {
    const breachId = await reportBreach(true);
    await eventually('the delivery to other', async () =>
      (await deliveryOf(world.org('other'), breachId))?.status === 'delivered' ? true : undefined,
    );
    expect(await deliveriesOf(third)).toEqual([]);
    const inbox = (await lead(third).ok('GET', '/notifications', 200)).body.items as { kind: string }[];
    expect(inbox.filter((i) => i.kind === 'breach-reported')).toHaveLength(2);
    expect(receiver.received.every((r) => r.path === '/other')).toBe(true);
    const nearMiss = receiver
      .for('/other')
      .map((r) => JSON.parse(r.body))
      .find((b) => b.breachId === breachId);
    expect(nearMiss).toMatchObject({ nature: 'near-miss' });
    expect(nearMiss).not.toHaveProperty('deadline');
  });

  it('a signature made with a rotated-out secret no longer verifies: configuring again rotates it', async () => {
    const before = receiver.secrets.get('/other');
    const rotated = await configure(world.org('other'), '/other');
    expect(rotated.secret).not.toBe(before);
    receiver.answer = () => 200;
    const breachId = await reportBreach();
    await eventually('the delivery after rotation', async () =>
      (await deliveryOf(world.org('other'), breachId))?.status === 'delivered' ? true : undefined,
    );
    const last = receiver.for('/other').at(-1)!;
    expect(last.verdict).toBe('valid');
    const headers = {
      timestamp: last.headers['accord-webhook-timestamp'] as string,
      signature: last.headers['accord-signature'] as string,
    };
    expect(verifyWebhookSignature(before!, headers, last.body, Number(headers.timestamp))).toBe(
      'bad-signature',
    );
  });

  it('dispatchers racing for one delivery (as on several api nodes) send it once', async () => {
    receiver.answer = () => 200;
    const app = api.current!.app;
    const rivals = [1, 2, 3].map(
      () =>
        new WebhookDispatcher(
          app.get(EVENT_STORE),
          app.get(READ_DB),
          app.get(ACCORD_CONFIG),
          app.get(WebhookSender),
          app.get(WebhookSecrets),
          app.get(Clock),
          app.get(AppLogger),
        ),
    );
    // The answer to POST /breaches waits for this node's read models: the outbox row is there to race for.
    const breachId = await reportBreach();
    await Promise.all(rivals.map((r) => r.dispatch()));
    await eventually('the delivery', async () =>
      (await deliveryOf(world.org('other'), breachId))?.status === 'delivered' ? true : undefined,
    );
    const sent = receiver.for('/other').filter((r) => JSON.parse(r.body).breachId === breachId);
    expect(sent).toHaveLength(1);
  });

  it('keeps a pending delivery across an api restart and delivers it after', async () => {
    const own = world.org('own');
    await configure(own, '/own');
    let receiverUp = false;
    receiver.answer = (path) => (path === '/own' && !receiverUp ? 503 : 200);
    const breachId = await reportBreach();
    await eventually('a failed first attempt', async () => {
      const d = await deliveryOf(own, breachId);
      return d && d.status === 'failed' && d.attempts >= 1 ? d : undefined;
    });

    await api.stop();
    receiverUp = true;
    url = (await api.start()).url;

    const delivered = await eventually('the delivery after the restart', async () => {
      const d = await deliveryOf(own, breachId);
      return d?.status === 'delivered' ? d : undefined;
    });
    const requests = receiver.for('/own');
    expect(requests.at(-1)).toMatchObject({ verdict: 'valid', answered: 200 });
    expect(requests.slice(0, -1).every((r) => r.answered === 503)).toBe(true);
    expect(delivered.attempts).toBe(requests.length);
  });

  it('removing the webhook stops deliveries to it', async () => {
    const own = world.org('own');
    await new ApiClient(url, world.admin.token).ok('DELETE', `/organisations/${own.id}/webhook`, 204);
    await lead(own).ok('GET', `/organisations/${own.id}/webhook`, 404);
    const before = receiver.for('/own').length;
    const breachId = await reportBreach();
    await eventually('the delivery to other', async () =>
      (await deliveryOf(world.org('other'), breachId))?.status === 'delivered' ? true : undefined,
    );
    expect(await deliveryOf(own, breachId)).toBeUndefined();
    expect(receiver.for('/own')).toHaveLength(before);
  });
});

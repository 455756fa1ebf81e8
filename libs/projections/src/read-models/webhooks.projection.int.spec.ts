import { webhookDeliveryStreamId } from '@accord/domain';
import { openReadDb } from '../read-db';
import type { ReadDb } from '../projection';
import { rebuildReadModels } from '../rebuild';
import { dumpTables, newEvent, tempStore } from '../testing/projection-test-kit';
import { WEBHOOK_TABLES, webhookDeliveryIdFor, webhooksProjection } from './webhooks.projection';
import { dueWebhookDeliveries, findWebhookEndpoint, listWebhookDeliveries } from './webhooks.queries';

const REPORTED_AT = '2024-05-01T10:00:00.000Z';
const reported = (nearMiss = false) =>
  newEvent('BreachReported', {
    reportedBy: 'council',
    reportedAt: REPORTED_AT,
    documentIds: [],
    discoveredAt: '2024-05-01T09:00:00.000Z',
    description: 'Letter posted to a former address',
    nearMiss,
    severity: 'medium',
    dataCategories: ['address'],
    approxSubjects: 1,
  });
const notified = (nearMiss = false) => ({
  ...newEvent('PartnersNotified', {
    orgIds: ['council', 'police', 'fire'],
    reportedBy: 'council',
    severity: 'medium',
    nearMiss,
    agreementId: 'a1',
  }),
  meta: { ...newEvent('x').meta, occurredAt: REPORTED_AT },
});

describe('webhook outbox read model', () => {
  let kit: ReturnType<typeof tempStore>;
  let db: ReadDb;
  const projections = [webhooksProjection];
  const rebuild = () => rebuildReadModels({ store: kit.store, db, projections });
  let notice: ReturnType<typeof notified>;

  beforeEach(async () => {
    kit = tempStore();
    await kit.store.append(
      'organisation-police',
      [newEvent('WebhookConfigured', { url: 'https://police.example/hook', secretId: 's1' })],
      'no-stream',
    );
    notice = notified();
    await kit.store.append('breach-b1', [reported(), notice], 'no-stream');
    // Configured after the notice: fire gets this breach only in its inbox, not by webhook.
    await kit.store.append(
      'organisation-fire',
      [newEvent('WebhookConfigured', { url: 'https://fire.example/hook', secretId: 's2' })],
      'no-stream',
    );
    db = openReadDb(kit.readDb);
    await rebuild();
  });
  afterEach(async () => {
    db.close();
    await kit.cleanup();
  });

  it('queues one delivery per notified organisation that had a webhook when the breach was notified', () => {
    const id = webhookDeliveryIdFor(notice.eventId, 'police');
    expect(dueWebhookDeliveries(db, REPORTED_AT, 10).map((d) => [d.id, d.orgId, d.status])).toEqual([
      [id, 'police', 'pending'],
    ]);
    expect(listWebhookDeliveries(db, 'fire', 10)).toEqual([]);
    expect(listWebhookDeliveries(db, 'council', 10)).toEqual([]);
    expect(findWebhookEndpoint(db, 'fire')).toMatchObject({
      url: 'https://fire.example/hook',
      secretId: 's2',
    });
  });

  it('the body names the breach, its severity, the reporter and the ICO deadline, never the description', () => {
    const [delivery] = listWebhookDeliveries(db, 'police', 10);
    expect(JSON.parse(delivery!.payload)).toEqual({
      id: delivery!.id,
      type: 'breach.partners-notified',
      occurredAt: REPORTED_AT,
      breachId: 'b1',
      severity: 'medium',
      nature: 'breach',
      reportingOrg: 'council',
      agreementId: 'a1',
      deadline: '2024-05-04T09:00:00.000Z',
    });
    expect(delivery!.payload).not.toContain('former address');
  });

  it('follows the delivery stream: in flight until the lease ends, failed until the next attempt, then delivered', async () => {
    const id = webhookDeliveryIdFor(notice.eventId, 'police');
    const stream = webhookDeliveryStreamId(id);
    await kit.store.append(
      stream,
      [
        newEvent('WebhookDeliveryAttempted', {
          orgId: 'police',
          breachId: 'b1',
          attempt: 1,
          url: 'https://police.example/hook',
          attemptedAt: '2024-05-01T10:00:01.000Z',
        }),
      ],
      'no-stream',
    );
    await rebuild();
    expect(dueWebhookDeliveries(db, '2024-05-01T10:01:00.999Z', 10)).toEqual([]);
    expect(dueWebhookDeliveries(db, '2024-05-01T10:01:01.000Z', 10)).toHaveLength(1);
    await kit.store.append(
      stream,
      [
        newEvent('WebhookDeliveryFailed', {
          attempt: 1,
          status: 500,
          failedAt: '2024-05-01T10:00:02.000Z',
          nextAttemptAt: '2024-05-01T10:00:12.000Z',
        }),
      ],
      0,
    );
    await rebuild();
    expect(listWebhookDeliveries(db, 'police', 10)[0]).toMatchObject({
      status: 'failed',
      attempts: 1,
      lastStatus: 500,
      nextAttemptAt: '2024-05-01T10:00:12.000Z',
    });
    await kit.store.append(
      stream,
      [
        newEvent('WebhookDeliveryAttempted', {
          orgId: 'police',
          breachId: 'b1',
          attempt: 2,
          url: 'https://police.example/hook',
          attemptedAt: '2024-05-01T10:00:12.000Z',
        }),
        newEvent('WebhookDelivered', { attempt: 2, status: 204, deliveredAt: '2024-05-01T10:00:13.000Z' }),
      ],
      1,
    );
    await rebuild();
    expect(listWebhookDeliveries(db, 'police', 10)[0]).toMatchObject({
      status: 'delivered',
      attempts: 2,
      lastStatus: 204,
      nextAttemptAt: null,
      finishedAt: '2024-05-01T10:00:13.000Z',
    });
    expect(dueWebhookDeliveries(db, '2099-01-01T00:00:00.000Z', 10)).toEqual([]);
  });

  it('a rebuild makes the same rows', async () => {
    const before = dumpTables(db, WEBHOOK_TABLES);
    await rebuild();
    expect(dumpTables(db, WEBHOOK_TABLES)).toEqual(before);
  });
});

import {
  ATTEMPT_LEASE_MS,
  icoDeadlineOf,
  idOfStream,
  WEBHOOK_DELIVERY_EVENT_TYPES,
  WEBHOOK_DELIVERY_STREAM_PREFIX,
} from '@accord/domain';
import { type JsonObject, type RecordedEvent, uuidv5 } from '@accord/event-store';
import type { Projection, ReadDb } from '../projection';
import { breachIdOf } from './breaches.projection';
import { forgetStatements, sql } from '../statement-cache';

export const WEBHOOK_TABLES = ['webhook_endpoints', 'webhook_breaches', 'webhook_deliveries'] as const;

/** The `type` of the only notice sent so far; receivers switch on it. */
export const BREACH_NOTICE_TYPE = 'breach.partners-notified';

/** One delivery per PartnersNotified and organisation: every node and every rebuild derives the same id. */
export function webhookDeliveryIdFor(notificationEventId: string, orgId: string): string {
  return uuidv5(`webhook-delivery:${notificationEventId}:${orgId}`);
}

/**
 * The webhook outbox. Each organisation's endpoint (folded here from its own events, so rebuilding this read
 * model alone pairs each notice with the endpoint configured when it was sent), and one row per
 * PartnersNotified and notified organisation that had a webhook then, with the exact body to POST and the
 * delivery's state from its `webhook-delivery-{id}` stream. The body names the breach, its severity and the
 * reporter, never the description, which may hold personal data.
 */
export const webhooksProjection: Projection = {
  name: 'webhooks',
  version: 1,
  handles: [
    'WebhookConfigured',
    'WebhookRemoved',
    'BreachReported',
    'PartnersNotified',
    ...WEBHOOK_DELIVERY_EVENT_TYPES,
  ],
  migrate(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS webhook_endpoints (
        org_id TEXT PRIMARY KEY, url TEXT NOT NULL, secret_id TEXT NOT NULL, configured_at TEXT NOT NULL) STRICT;
      CREATE TABLE IF NOT EXISTS webhook_breaches (
        breach_id TEXT PRIMARY KEY, discovered_at TEXT NOT NULL) STRICT;
      CREATE TABLE IF NOT EXISTS webhook_deliveries (
        id TEXT PRIMARY KEY, org_id TEXT NOT NULL, breach_id TEXT NOT NULL, type TEXT NOT NULL,
        created_at TEXT NOT NULL, payload TEXT NOT NULL, status TEXT NOT NULL, attempts INTEGER NOT NULL,
        next_attempt_at TEXT, last_attempt_at TEXT, last_status INTEGER, last_error TEXT, finished_at TEXT,
        position INTEGER NOT NULL) STRICT;
      CREATE INDEX IF NOT EXISTS webhook_deliveries_due ON webhook_deliveries (next_attempt_at)
        WHERE next_attempt_at IS NOT NULL;
      CREATE INDEX IF NOT EXISTS webhook_deliveries_by_org ON webhook_deliveries (org_id, created_at, id);
    `);
  },
  reset(db) {
    forgetStatements(db);
    for (const table of WEBHOOK_TABLES) db.exec(`DROP TABLE IF EXISTS ${table}`);
  },
  apply(event: RecordedEvent, db: ReadDb) {
    const d = event.data;
    switch (event.type) {
      case 'WebhookConfigured':
        sql(
          db,
          `INSERT INTO webhook_endpoints (org_id, url, secret_id, configured_at) VALUES (?, ?, ?, ?)
           ON CONFLICT (org_id) DO UPDATE SET url = excluded.url, secret_id = excluded.secret_id,
             configured_at = excluded.configured_at`,
        ).run(orgIdOf(event), text(d, 'url'), text(d, 'secretId'), event.meta.occurredAt);
        return;
      case 'WebhookRemoved':
        sql(db, `DELETE FROM webhook_endpoints WHERE org_id = ?`).run(orgIdOf(event));
        return;
      case 'BreachReported':
        sql(
          db,
          `INSERT INTO webhook_breaches (breach_id, discovered_at) VALUES (?, ?) ON CONFLICT (breach_id) DO NOTHING`,
        ).run(breachIdOf(event.streamId), text(d, 'discoveredAt'));
        return;
      case 'PartnersNotified':
        return partnersNotified(event, db);
      default:
        if (event.streamId.startsWith(WEBHOOK_DELIVERY_STREAM_PREFIX)) deliveryChanged(event, db);
        return;
    }
  },
};

function partnersNotified(event: RecordedEvent, db: ReadDb): void {
  const d = event.data;
  if (!Array.isArray(d['orgIds'])) return;
  const breachId = breachIdOf(event.streamId);
  const breach = sql(
    db,
    `SELECT discovered_at AS discoveredAt FROM webhook_breaches WHERE breach_id = ?`,
  ).get(breachId) as { discoveredAt: string } | undefined;
  const nearMiss = d['nearMiss'] === true;
  const insert = sql(
    db,
    `INSERT INTO webhook_deliveries (id, org_id, breach_id, type, created_at, payload, status, attempts,
       next_attempt_at, position)
     VALUES (?, ?, ?, ?, ?, ?, 'pending', 0, ?, ?) ON CONFLICT (id) DO NOTHING`,
  );
  const endpoint = sql(db, `SELECT 1 FROM webhook_endpoints WHERE org_id = ?`);
  for (const orgId of new Set(d['orgIds'])) {
    if (typeof orgId !== 'string' || endpoint.get(orgId) === undefined) continue;
    const id = webhookDeliveryIdFor(event.eventId, orgId);
    // Keys in a fixed order: the body is signed, and every attempt sends these exact bytes.
    const payload = {
      id,
      type: BREACH_NOTICE_TYPE,
      occurredAt: event.meta.occurredAt,
      breachId,
      severity: text(d, 'severity'),
      nature: nearMiss ? 'near-miss' : 'breach',
      reportingOrg: text(d, 'reportedBy'),
      ...(typeof d['agreementId'] === 'string' ? { agreementId: d['agreementId'] } : {}),
      // The Art 33 clock: 72 hours from discovery, should the breach prove reportable to the ICO.
      ...(breach && !nearMiss ? { deadline: icoDeadlineOf(breach.discoveredAt) } : {}),
    };
    insert.run(
      id,
      orgId,
      breachId,
      BREACH_NOTICE_TYPE,
      event.meta.occurredAt,
      JSON.stringify(payload),
      event.meta.occurredAt,
      event.position,
    );
  }
}

function deliveryChanged(event: RecordedEvent, db: ReadDb): void {
  const id = event.streamId.slice(WEBHOOK_DELIVERY_STREAM_PREFIX.length);
  const d = event.data;
  switch (event.type) {
    case 'WebhookDeliveryAttempted': {
      const attemptedAt = text(d, 'attemptedAt');
      // Due again only if no outcome arrives within the lease: the attempt's process died.
      const leaseEnds = new Date(Date.parse(attemptedAt) + ATTEMPT_LEASE_MS).toISOString();
      sql(
        db,
        `UPDATE webhook_deliveries SET status = 'attempting', attempts = ?, last_attempt_at = ?,
           next_attempt_at = ? WHERE id = ?`,
      ).run(num(d, 'attempt'), attemptedAt, leaseEnds, id);
      return;
    }
    case 'WebhookDelivered':
      sql(
        db,
        `UPDATE webhook_deliveries SET status = 'delivered', last_status = ?, last_error = NULL,
           finished_at = ?, next_attempt_at = NULL WHERE id = ?`,
      ).run(num(d, 'status'), text(d, 'deliveredAt'), id);
      return;
    case 'WebhookDeliveryFailed':
      sql(
        db,
        `UPDATE webhook_deliveries SET status = 'failed', last_status = ?, last_error = ?, next_attempt_at = ?
         WHERE id = ?`,
      ).run(
        typeof d['status'] === 'number' ? d['status'] : null,
        typeof d['error'] === 'string' ? d['error'] : null,
        typeof d['nextAttemptAt'] === 'string' ? d['nextAttemptAt'] : null,
        id,
      );
      return;
    case 'WebhookAbandoned':
      sql(
        db,
        `UPDATE webhook_deliveries SET status = 'abandoned', attempts = ?, finished_at = ?,
           next_attempt_at = NULL WHERE id = ?`,
      ).run(num(d, 'attempts'), text(d, 'abandonedAt'), id);
      return;
    default:
      return;
  }
}

function orgIdOf(event: RecordedEvent): string {
  return idOfStream('organisation', event.streamId);
}

/** A hand-appended event missing a field must not stall the projector for every other read model. */
function text(data: JsonObject, field: string): string {
  const value = data[field];
  return typeof value === 'string' ? value : '';
}

function num(data: JsonObject, field: string): number {
  const value = data[field];
  return typeof value === 'number' ? value : 0;
}

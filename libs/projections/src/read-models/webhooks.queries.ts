import type { ReadDb } from '../projection';
import { sql } from '../statement-cache';
import type { WebhookDeliveryRecord, WebhookEndpoint } from './webhooks.records';

export type { WebhookDeliveryRecord, WebhookDeliveryStatus, WebhookEndpoint } from './webhooks.records';

const DELIVERY = `SELECT id, org_id AS orgId, breach_id AS breachId, type, created_at AS createdAt, payload, status,
  attempts, next_attempt_at AS nextAttemptAt, last_attempt_at AS lastAttemptAt, last_status AS lastStatus,
  last_error AS lastError, finished_at AS finishedAt FROM webhook_deliveries`;

export function findWebhookEndpoint(db: ReadDb, orgId: string): WebhookEndpoint | undefined {
  return sql(
    db,
    `SELECT org_id AS orgId, url, secret_id AS secretId, configured_at AS configuredAt
     FROM webhook_endpoints WHERE org_id = ?`,
  ).get(orgId) as WebhookEndpoint | undefined;
}

/** Deliveries whose next attempt is due at `nowIso`, the longest waiting first. */
export function dueWebhookDeliveries(db: ReadDb, nowIso: string, limit: number): WebhookDeliveryRecord[] {
  return sql(
    db,
    `${DELIVERY} WHERE next_attempt_at IS NOT NULL AND next_attempt_at <= ? ORDER BY next_attempt_at, id LIMIT ?`,
  ).all(nowIso, limit) as WebhookDeliveryRecord[];
}

/** An organisation's deliveries, newest first. */
export function listWebhookDeliveries(db: ReadDb, orgId: string, limit: number): WebhookDeliveryRecord[] {
  return sql(db, `${DELIVERY} WHERE org_id = ? ORDER BY created_at DESC, id DESC LIMIT ?`).all(
    orgId,
    limit,
  ) as WebhookDeliveryRecord[];
}

export function findWebhookDelivery(db: ReadDb, id: string): WebhookDeliveryRecord | undefined {
  return sql(db, `${DELIVERY} WHERE id = ?`).get(id) as WebhookDeliveryRecord | undefined;
}

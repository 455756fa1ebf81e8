import {
  AccessObservation,
  AGREEMENT_EVENT_TYPES,
  AGREEMENT_STREAM_PREFIX,
  AgreementEvent,
  AgreementState,
  DetectedIncident,
  DetectedIncidentData,
  DetectionThresholds,
  evaluateAccess,
  evolveAgreement,
  initialAgreementState,
  initialUserActivity,
  INCIDENT_STREAM_PREFIX,
  partyStandingAt,
  UserActivity,
} from '@accord/domain';
import { EventMetaInput, RecordedEvent, uuidv5 } from '@accord/event-store';
import type { Projection, ReadDb } from '../projection';
import { forgetStatements, sql } from '../statement-cache';

export const INCIDENT_DETECTOR_TABLES = [
  'detector_agreements',
  'detector_documents',
  'detector_users',
  'incident_outbox',
] as const;

/** An incident found but not yet seen in the log: the raiser appends it, its SecurityIncidentDetected clears it. */
export interface PendingIncident {
  id: string;
  data: DetectedIncidentData;
  meta: Omit<EventMetaInput, 'actor'>;
}

/** Same rule and same evidence, same incident: on every node, in every replay. */
export const incidentIdOf = (rule: string, key: string): string => uuidv5(`incident|${rule}|${key}`);

const ACCESS_TYPES = ['DocumentAccessed', 'AccessDenied', 'TransferBlocked'] as const;

/**
 * The detector's memory, fed from the log like a read model so its state commits with its checkpoint:
 * agreements (who is, and was, a party), the organisations of each document, each user's recent refusals and
 * daily opens, and an outbox of incidents found. Appending is left to a raiser outside the transaction
 * (apply is synchronous); the outbox row survives a crash until the incident's own event is projected.
 * It is not one of the product's read models (the api hosts it with its own projector): thresholds come from
 * configuration and a rebuild of the read models must not forget what the detector has already raised.
 */
export function incidentDetectorProjection(
  thresholds: DetectionThresholds,
  onDetected: () => void = () => undefined,
): Projection {
  return {
    name: 'incident-detector',
    version: 1,
    handles: [...AGREEMENT_EVENT_TYPES, 'DocumentShared', ...ACCESS_TYPES, 'SecurityIncidentDetected'],
    migrate(db) {
      db.exec(`
        CREATE TABLE IF NOT EXISTS detector_agreements (id TEXT PRIMARY KEY, state TEXT NOT NULL) STRICT;
        CREATE TABLE IF NOT EXISTS detector_documents (
          id TEXT PRIMARY KEY, agreement_id TEXT NOT NULL, orgs TEXT NOT NULL) STRICT;
        CREATE TABLE IF NOT EXISTS detector_users (user_id TEXT PRIMARY KEY, activity TEXT NOT NULL) STRICT;
        CREATE TABLE IF NOT EXISTS incident_outbox (
          id TEXT PRIMARY KEY, position INTEGER NOT NULL, incident TEXT NOT NULL) STRICT;
      `);
    },
    reset(db) {
      forgetStatements(db);
      for (const table of INCIDENT_DETECTOR_TABLES) db.exec(`DROP TABLE IF EXISTS ${table}`);
    },
    apply(event, db) {
      if ((AGREEMENT_EVENT_TYPES as readonly string[]).includes(event.type)) return applyAgreement(event, db);
      if (event.type === 'DocumentShared') return applyShared(event, db);
      if (event.type === 'SecurityIncidentDetected') {
        sql(db, `DELETE FROM incident_outbox WHERE id = ?`).run(
          event.streamId.slice(INCIDENT_STREAM_PREFIX.length),
        );
        return;
      }
      const found = applyAccess(event, db, thresholds);
      // apply runs inside the projector's transaction: let the raiser look once that has committed.
      if (found > 0) queueMicrotask(onDetected);
    },
  };
}

function applyAgreement(event: RecordedEvent, db: ReadDb): void {
  const id = event.streamId.slice(AGREEMENT_STREAM_PREFIX.length);
  const before = agreementOf(db, id) ?? initialAgreementState();
  const after = evolveAgreement(before, { type: event.type, data: event.data } as AgreementEvent);
  sql(
    db,
    `INSERT INTO detector_agreements (id, state) VALUES (?, ?) ON CONFLICT (id) DO UPDATE SET state = excluded.state`,
  ).run(id, JSON.stringify(after));
}

function applyShared(event: RecordedEvent, db: ReadDb): void {
  const d = event.data as { agreementId: string; senderOrg: string; recipients: string[] };
  sql(
    db,
    `INSERT INTO detector_documents (id, agreement_id, orgs) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`,
  ).run(documentIdOf(event), d.agreementId, JSON.stringify([d.senderOrg, ...d.recipients]));
}

/** Runs the rules over one access event by a user; returns how many incidents went to the outbox. */
function applyAccess(event: RecordedEvent, db: ReadDb, thresholds: DetectionThresholds): number {
  const actor = event.meta.actor;
  if (!('userId' in actor)) return 0;
  const documentId = documentIdOf(event);
  const doc = sql(db, `SELECT agreement_id, orgs FROM detector_documents WHERE id = ?`).get(documentId) as
    { agreement_id: string; orgs: string } | undefined;
  const data = event.data as { reason?: string; destination?: string; agreementId?: string };
  const agreementId = doc?.agreement_id ?? data.agreementId;
  const agreement = agreementId === undefined ? undefined : agreementOf(db, agreementId);
  const observation: AccessObservation = {
    eventId: event.eventId,
    occurredAt: event.meta.occurredAt,
    userId: actor.userId,
    orgId: actor.orgId,
    documentId,
    outcome:
      event.type === 'DocumentAccessed' ? 'opened' : event.type === 'AccessDenied' ? 'denied' : 'blocked',
    ...(data.reason !== undefined ? { reason: data.reason } : {}),
    ...countryOf(event),
    standing: agreement
      ? partyStandingAt(agreement, actor.orgId, new Date(event.meta.occurredAt))
      : 'not-party',
  };
  const row = sql(db, `SELECT activity FROM detector_users WHERE user_id = ?`).get(actor.userId) as
    { activity: string } | undefined;
  const before = row ? (JSON.parse(row.activity) as UserActivity) : initialUserActivity();
  const { activity, incidents } = evaluateAccess(before, observation, thresholds);
  sql(
    db,
    `INSERT INTO detector_users (user_id, activity) VALUES (?, ?) ON CONFLICT (user_id) DO UPDATE SET activity = excluded.activity`,
  ).run(actor.userId, JSON.stringify(activity));
  for (const incident of incidents) queue(db, event, incident);
  return incidents.length;
}

function queue(db: ReadDb, event: RecordedEvent, incident: DetectedIncident): void {
  const orgs = new Set([incident.orgId]);
  for (const documentId of incident.documentIds) {
    const row = sql(db, `SELECT orgs FROM detector_documents WHERE id = ?`).get(documentId) as
      { orgs: string } | undefined;
    for (const org of row ? (JSON.parse(row.orgs) as string[]) : []) orgs.add(org);
  }
  const id = incidentIdOf(incident.rule, incident.key);
  const pending: PendingIncident = {
    id,
    data: {
      kind: incident.rule,
      severity: incident.severity,
      summary: incident.summary,
      userId: incident.userId,
      orgId: incident.orgId,
      orgIds: [...orgs],
      documentIds: incident.documentIds,
      evidence: incident.evidence,
      detectedAt: incident.detectedAt,
    },
    // Everything derives from the triggering event, so every node and every replay appends the same bytes.
    meta: {
      occurredAt: incident.detectedAt,
      correlationId: event.meta.correlationId,
      causationId: event.eventId,
    },
  };
  sql(db, `INSERT INTO incident_outbox (id, position, incident) VALUES (?, ?, ?) ON CONFLICT DO NOTHING`).run(
    id,
    event.position,
    JSON.stringify(pending),
  );
}

/** Incidents found and not yet seen in the log, oldest first. */
export function pendingIncidents(db: ReadDb, limit = 100): PendingIncident[] {
  return (
    sql(db, `SELECT incident FROM incident_outbox ORDER BY position, id LIMIT ?`).all(limit) as {
      incident: string;
    }[]
  ).map((r) => JSON.parse(r.incident) as PendingIncident);
}

/** The raiser found the incident already in the log (raised by this or another node). */
export function clearPendingIncident(db: ReadDb, id: string): void {
  sql(db, `DELETE FROM incident_outbox WHERE id = ?`).run(id);
}

/** The client's country as the request recorded it; a refused transfer names it as its destination. */
function countryOf(event: RecordedEvent): { country?: string } {
  const fromMeta = event.meta.client?.country;
  if (fromMeta !== undefined) return { country: fromMeta };
  const data = event.data as { reason?: string; destination?: string };
  return data.reason === 'transfer.client-outside-uk' && data.destination !== undefined
    ? { country: data.destination }
    : {};
}

const documentIdOf = (event: RecordedEvent): string => event.streamId.replace(/^document-/, '');

function agreementOf(db: ReadDb, id: string): AgreementState | undefined {
  const row = sql(db, `SELECT state FROM detector_agreements WHERE id = ?`).get(id) as
    { state: string } | undefined;
  return row ? (JSON.parse(row.state) as AgreementState) : undefined;
}

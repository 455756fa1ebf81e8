import {
  evolveIncident,
  INCIDENT_EVENT_TYPES,
  INCIDENT_STREAM_PREFIX,
  IncidentEvent,
  IncidentState,
  initialIncidentState,
} from '@accord/domain';
import type { RecordedEvent } from '@accord/event-store';
import type { Projection, ReadDb } from '../projection';
import { forgetStatements, sql } from '../statement-cache';
import { evolveRowState } from './row-state';

export const INCIDENT_TABLES = ['incidents', 'incident_orgs'] as const;

export const incidentIdOfStream = (streamId: string): string =>
  streamId.startsWith(INCIDENT_STREAM_PREFIX) ? streamId.slice(INCIDENT_STREAM_PREFIX.length) : streamId;

/**
 * Security incidents the platform raised, with their status (open, promoted, dismissed) and the
 * organisations involved in each (the user's and those of the documents concerned): who reads an incident.
 * Each row keeps the folded domain state, so the view is the domain's own.
 */
export const incidentsProjection: Projection = {
  name: 'incidents',
  version: 1,
  handles: INCIDENT_EVENT_TYPES,
  migrate(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS incidents (
        id TEXT PRIMARY KEY, kind TEXT NOT NULL, severity TEXT NOT NULL, status TEXT NOT NULL,
        detected_at TEXT NOT NULL, state TEXT NOT NULL, position INTEGER NOT NULL) STRICT;
      CREATE TABLE IF NOT EXISTS incident_orgs (
        incident_id TEXT NOT NULL, org_id TEXT NOT NULL, PRIMARY KEY (org_id, incident_id)) STRICT;
    `);
  },
  reset(db) {
    forgetStatements(db);
    for (const table of INCIDENT_TABLES) db.exec(`DROP TABLE IF EXISTS ${table}`);
  },
  apply(event: RecordedEvent, db: ReadDb) {
    const id = incidentIdOfStream(event.streamId);
    const after = evolveRowState<IncidentState, IncidentEvent>(
      db,
      'incidents',
      id,
      initialIncidentState(),
      evolveIncident,
      event,
    );
    if (after.status === 'none') return;
    sql(
      db,
      `INSERT INTO incidents (id, kind, severity, status, detected_at, state, position) VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, state = excluded.state, position = excluded.position`,
    ).run(
      id,
      after.incident.kind,
      after.incident.severity,
      after.status,
      after.incident.detectedAt,
      JSON.stringify(after),
      event.position,
    );
    const link = sql(
      db,
      `INSERT INTO incident_orgs (incident_id, org_id) VALUES (?, ?) ON CONFLICT DO NOTHING`,
    );
    for (const orgId of after.incident.orgIds) link.run(id, orgId);
  },
};

import type { ExistingIncident } from '@accord/domain';
import type { ReadDb } from '../projection';
import { incidentSql } from './incidents.projection';

export interface IncidentRecord {
  id: string;
  state: ExistingIncident;
}

export interface IncidentFilter {
  /** Only incidents involving this organisation; undefined for every incident (platform admin, auditor). */
  orgId?: string;
  status?: string;
  kind?: string;
}

interface Row {
  id: string;
  state: string;
}

const toRecord = (row: Row): IncidentRecord => ({
  id: row.id,
  state: JSON.parse(row.state) as ExistingIncident,
});

/** Incidents, the most recently detected first. */
export function listIncidentRecords(db: ReadDb, filter: IncidentFilter = {}, limit = 500): IncidentRecord[] {
  const where: string[] = [];
  const params: (string | number)[] = [];
  if (filter.orgId !== undefined) {
    where.push(`i.id IN (SELECT incident_id FROM incident_orgs WHERE org_id = ?)`);
    params.push(filter.orgId);
  }
  if (filter.status !== undefined) {
    where.push(`i.status = ?`);
    params.push(filter.status);
  }
  if (filter.kind !== undefined) {
    where.push(`i.kind = ?`);
    params.push(filter.kind);
  }
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  return (
    incidentSql(
      db,
      `SELECT i.id, i.state FROM incidents i ${clause} ORDER BY i.detected_at DESC, i.id LIMIT ?`,
    ).all(...params, limit) as Row[]
  ).map(toRecord);
}

export function findIncident(db: ReadDb, id: string): IncidentRecord | undefined {
  const row = incidentSql(db, `SELECT id, state FROM incidents WHERE id = ?`).get(id) as Row | undefined;
  return row ? toRecord(row) : undefined;
}

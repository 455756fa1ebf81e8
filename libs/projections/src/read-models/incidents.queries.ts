import type { ExistingIncident } from '@accord/domain';
import type { ReadDb } from '../projection';
import { sql } from '../statement-cache';

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

export interface IncidentPage {
  items: IncidentRecord[];
  /** `detectedAt_id` of the last item when there is more, to pass back as `after`. */
  nextAfter: string | null;
}

/** The cursor a page ends on: detection time and id, the two keys the list is ordered by. */
export const incidentCursor = (record: IncidentRecord): string =>
  `${record.state.incident.detectedAt}_${record.id}`;

/** Incidents, the most recently detected first (ties by id), from after `after` (a previous `nextAfter`). */
export function listIncidentPage(
  db: ReadDb,
  filter: IncidentFilter,
  page: { after?: string; limit: number },
): IncidentPage {
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
  if (page.after !== undefined) {
    // Keyset, not offset: an incident detected meanwhile neither repeats nor hides one on the next page.
    const cut = page.after.lastIndexOf('_');
    const [at, id] = [page.after.slice(0, cut), page.after.slice(cut + 1)];
    where.push(`(i.detected_at < ? OR (i.detected_at = ? AND i.id > ?))`);
    params.push(at, at, id);
  }
  const clause = where.length > 0 ? `WHERE ${where.join(' AND ')}` : '';
  const rows = sql(
    db,
    `SELECT i.id, i.state FROM incidents i ${clause} ORDER BY i.detected_at DESC, i.id LIMIT ?`,
  ).all(...params, page.limit + 1) as Row[];
  const more = rows.length > page.limit;
  const items = (more ? rows.slice(0, page.limit) : rows).map(toRecord);
  const last = items.at(-1);
  return { items, nextAfter: more && last ? incidentCursor(last) : null };
}

/** The first `limit` incidents, the most recently detected first. */
export function listIncidentRecords(db: ReadDb, filter: IncidentFilter = {}, limit = 500): IncidentRecord[] {
  return listIncidentPage(db, filter, { limit }).items;
}

export function findIncident(db: ReadDb, id: string): IncidentRecord | undefined {
  const row = sql(db, `SELECT id, state FROM incidents WHERE id = ?`).get(id) as Row | undefined;
  return row ? toRecord(row) : undefined;
}

import {
  BREACH_EVENT_TYPES,
  BreachEvent,
  BreachState,
  evolveBreach,
  idOfStream,
  icoDeadlineOf,
  initialBreachState,
} from '@accord/domain';
import type { RecordedEvent } from '@accord/event-store';
import type { Projection, ReadDb } from '../projection';
import { forgetStatements, sql } from '../statement-cache';
import { evolveRowState } from './row-state';

export const BREACH_TABLES = ['breaches', 'breach_orgs'] as const;

export function breachIdOf(streamId: string): string {
  return idOfStream('breach', streamId);
}

/**
 * Breaches and the organisations involved in each (the reporter and every organisation notified), which
 * decides who reads a breach. Each row keeps the folded domain state, so the deadline and "overdue" are
 * computed against the clock when read, never stored. Version 2: the state lists containment actions.
 */
export const breachesProjection: Projection = {
  name: 'breaches',
  version: 2,
  handles: BREACH_EVENT_TYPES,
  migrate(db) {
    db.exec(`
      CREATE TABLE IF NOT EXISTS breaches (
        id TEXT PRIMARY KEY, reported_by TEXT NOT NULL, discovered_at TEXT NOT NULL, ico_deadline TEXT NOT NULL,
        status TEXT NOT NULL, state TEXT NOT NULL, position INTEGER NOT NULL) STRICT;
      CREATE TABLE IF NOT EXISTS breach_orgs (
        breach_id TEXT NOT NULL, org_id TEXT NOT NULL, PRIMARY KEY (org_id, breach_id)) STRICT;
    `);
  },
  reset(db) {
    forgetStatements(db);
    for (const table of BREACH_TABLES) db.exec(`DROP TABLE IF EXISTS ${table}`);
  },
  apply(event: RecordedEvent, db: ReadDb) {
    const id = breachIdOf(event.streamId);
    const after = evolveRowState<BreachState, BreachEvent>(
      db,
      'breaches',
      id,
      initialBreachState(),
      evolveBreach,
      event,
    );
    if (after.status === 'none') return;
    sql(
      db,
      `INSERT INTO breaches (id, reported_by, discovered_at, ico_deadline, status, state, position)
       VALUES (?, ?, ?, ?, ?, ?, ?)
       ON CONFLICT (id) DO UPDATE SET status = excluded.status, state = excluded.state, position = excluded.position`,
    ).run(
      id,
      after.reportedBy,
      after.discoveredAt,
      icoDeadlineOf(after.discoveredAt),
      after.status,
      JSON.stringify(after),
      event.position,
    );
    const link = sql(db, `INSERT INTO breach_orgs (breach_id, org_id) VALUES (?, ?) ON CONFLICT DO NOTHING`);
    for (const orgId of new Set([after.reportedBy, ...after.notifiedOrgs])) link.run(id, orgId);
  },
};

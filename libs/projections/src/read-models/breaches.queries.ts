import { ExistingBreach } from '@accord/domain';
import type { ReadDb } from '../projection';
import { sql } from '../statement-cache';

export interface BreachRecord {
  id: string;
  state: ExistingBreach;
}

interface Row {
  id: string;
  state: string;
}

const toRecord = (row: Row): BreachRecord => ({ id: row.id, state: JSON.parse(row.state) as ExistingBreach });

/** Breaches an organisation is involved in (reported by it or notified to it), the most recently discovered first. */
export function listBreachRecords(db: ReadDb, orgId: string): BreachRecord[] {
  return (
    sql(
      db,
      `SELECT b.id, b.state FROM breaches b JOIN breach_orgs o ON o.breach_id = b.id
       WHERE o.org_id = ? ORDER BY b.discovered_at DESC, b.id`,
    ).all(orgId) as Row[]
  ).map(toRecord);
}

export function findBreach(db: ReadDb, id: string): BreachRecord | undefined {
  const row = sql(db, `SELECT id, state FROM breaches WHERE id = ?`).get(id) as Row | undefined;
  return row ? toRecord(row) : undefined;
}

export function isBreachInvolved(db: ReadDb, breachId: string, orgId: string): boolean {
  return (
    sql(db, `SELECT 1 FROM breach_orgs WHERE breach_id = ? AND org_id = ?`).get(breachId, orgId) !== undefined
  );
}

/** False where the breaches read model is not projected (an inbox tested on its own). */
export function breachesProjected(db: ReadDb): boolean {
  return (
    sql(db, `SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'breaches'`).get() !== undefined
  );
}

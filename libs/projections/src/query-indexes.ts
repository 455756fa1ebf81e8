import { ProjectionConfigError } from './errors';
import type { Projection, ReadDb } from './projection';

/**
 * Drops the indexes the projections declare as read by queries only (`queryIndexes`), and returns the
 * statements that create them again: building an index once, from sorted keys, is far cheaper than keeping
 * it up to date through a million inserts. Used by the offline rebuild and by the Projector catching up
 * from zero (docs/architecture.md §37.2, §37.16). The statements say `IF NOT EXISTS` (SQLite keeps the
 * definition without it), so running one after a restart's migrate has already put the index back does nothing.
 */
export function dropQueryIndexes(db: ReadDb, projections: readonly Projection[]): string[] {
  const creates: string[] = [];
  const definition = db.prepare(`SELECT sql FROM sqlite_master WHERE type = 'index' AND name = ?`).pluck();
  for (const p of projections) {
    for (const name of p.queryIndexes ?? []) {
      const create = definition.get(name) as string | null | undefined;
      if (typeof create !== 'string')
        throw new ProjectionConfigError(
          `projection ${p.name} declares query index ${name}, which migrate did not create`,
        );
      creates.push(create.replace(/^CREATE INDEX /i, 'CREATE INDEX IF NOT EXISTS '));
      db.exec(`DROP INDEX "${name}"`);
    }
  }
  return creates;
}

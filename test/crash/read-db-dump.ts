import { openReadDb } from '@accord/projections';

/**
 * Every row of every table of a read.db (each table in the order of all its columns) and the name of every
 * index: what two builds of the read models are compared by, row for row.
 */
export function dumpReadDb(file: string): { rows: Record<string, unknown[]>; indexes: string[] } {
  const db = openReadDb(file);
  try {
    const names = (type: 'table' | 'index') =>
      db.prepare(`SELECT name FROM sqlite_master WHERE type = ? ORDER BY name`).pluck().all(type) as string[];
    const rows = Object.fromEntries(
      names('table').map((t) => {
        const columns = db.prepare(`SELECT * FROM "${t}" LIMIT 0`).columns().length;
        const order = Array.from({ length: columns }, (_, i) => i + 1).join(', ');
        return [t, db.prepare(`SELECT * FROM "${t}" ORDER BY ${order}`).all()];
      }),
    );
    return { rows, indexes: names('index') };
  } finally {
    db.close();
  }
}

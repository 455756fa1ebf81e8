import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { AnyMatrixRow, Call, CALLER_KEYS, CallerKey, rowName, RowsModule } from './matrix';
import { World } from './world';

/**
 * ASVS level 3 for authorisation: every endpoint is called by every role, on its own organisation's
 * resource and on another's, and answers exactly the status its row states. A new endpoint without a row
 * fails the coverage test below, so no route ships without its authorisation being pinned.
 */
const ROWS_DIR = join(__dirname, 'rows');
const rowFiles = readdirSync(ROWS_DIR)
  .filter((f) => f.endsWith('.rows.ts'))
  .sort();
// eslint-disable-next-line @typescript-eslint/no-require-imports
const allRows: AnyMatrixRow[] = rowFiles.flatMap((f) => (require(join(ROWS_DIR, f)) as RowsModule).rows);

const METHODS = ['get', 'post', 'put', 'patch', 'delete'];

function callFor(world: World, key: CallerKey): Call {
  if (key === 'anonymous') return { key, user: undefined, side: 'own', client: world.client() };
  if (key === 'admin') return { key, user: world.admin, side: 'own', client: world.asAdmin };
  const [role, side] = key.split(':') as ['ig-lead' | 'practitioner' | 'auditor', 'own' | 'other'];
  const user = world.orgs.own.users[role];
  return { key, user, side, client: world.client(user.token) };
}

describe('authorisation matrix', () => {
  let world: World;
  beforeAll(async () => {
    world = await World.build();
  });
  afterAll(() => world?.close());

  it('has a row for every operation of the OpenAPI document, and no row for an operation it lacks', async () => {
    const { body: doc } = await world.client().get('/docs-json');
    const documented = new Set<string>();
    for (const [path, item] of Object.entries(doc.paths as Record<string, Record<string, unknown>>)) {
      for (const method of Object.keys(item)) {
        if (METHODS.includes(method)) documented.add(`${method.toUpperCase()} ${path}`);
      }
    }
    const covered = new Set(allRows.map((r) => `${r.method} ${r.path}`));
    const withoutRow = [...documented].filter((op) => !covered.has(op)).sort();
    const stale = allRows
      .filter((r) => !r.undocumented && !documented.has(`${r.method} ${r.path}`))
      .map((r) => rowName(r));
    expect({ withoutRow, stale }).toEqual({ withoutRow: [], stale: [] });
  });

  for (const matrixRow of allRows) {
    describe(rowName(matrixRow), () => {
      it.each(CALLER_KEYS.map((k) => [k]))('%s', async (key) => {
        const call = callFor(world, key as CallerKey);
        const prepared = matrixRow.prepare ? await matrixRow.prepare(world, call) : undefined;
        const request = matrixRow.request(world, call, prepared);
        const reply = await call.client.request(matrixRow.method, request.path, {
          ...(request.body !== undefined ? { body: request.body } : {}),
          ...(request.headers ? { headers: request.headers } : {}),
        });
        // The problem type rides along so a wrong status shows why in the failure diff.
        expect({ status: reply.status, type: reply.body?.type }).toMatchObject({
          status: matrixRow.expect[key as CallerKey],
        });
        matrixRow.check?.(reply, call);
      });
    });
  }
});

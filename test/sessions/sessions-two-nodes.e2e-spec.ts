import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ReadYourWrites } from '@accord/platform';
import {
  postgresUnavailable,
  PostgresTestServer,
  startPostgresTestServer,
} from '../../libs/event-store/src/adapters/postgres/postgres.test-server';
import { RunningApi, startApi } from '../api/support/api-harness';
import { World } from '../authz/world';
import { codeOf, CookieBrowser } from './support/browser';

const unavailable = postgresUnavailable();
const SECRET = 'two-nodes-test-platform-secret-0123456789';

/**
 * Two api nodes over one PostgreSQL event store, each with its own read models (docs/architecture.md §34):
 * a session begun on one is good on the other at once, with the same CSRF token, and ends everywhere.
 */
(unavailable ? describe.skip : describe)('browser sessions across two api nodes', () => {
  let server: PostgresTestServer;
  const dirs: string[] = [];
  let a: RunningApi;
  let b: RunningApi;
  let world: World;
  const settle = (api: RunningApi) => api.app.get(ReadYourWrites).catchUp();

  beforeAll(async () => {
    server = await startPostgresTestServer({ durable: false });
    const url = await server.createDatabase();
    const node = async () => {
      const dataDir = mkdtempSync(join(tmpdir(), 'accord-node-'));
      dirs.push(dataDir);
      return startApi({ dataDir, env: { POSTGRES_URL: url, PLATFORM_SECRET: SECRET } });
    };
    a = await node();
    b = await node();
    world = await World.build(a);
  }, 110_000);
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await server?.stop();
    for (const d of dirs) rmSync(d, { recursive: true, force: true });
  });

  it('a session begun on one node is good on the other at once, with the same CSRF token, and signing out there ends it on both', async () => {
    const user = world.org('own').users.practitioner;
    await settle(b);
    const onA = new CookieBrowser(a.url);
    const signedIn = await onA.signIn(user.token);
    expect(signedIn.status).toBe(201);
    // The same browser, its next request balanced to the other node at once.
    const onB = new CookieBrowser(b.url);
    onB.cookies.set('accord_session', onA.session!);
    const there = await onB.send('GET', '/session');
    expect(there.status).toBe(200);
    expect(there.body.csrfToken).toBe(signedIn.body.csrfToken);
    const refused = await onB.send('DELETE', '/session', { headers: { 'x-csrf-token': 'A'.repeat(43) } });
    expect([refused.status, codeOf(refused)]).toEqual([403, 'auth.csrf']);
    const out = await onB.send('DELETE', '/session', {
      headers: { 'x-csrf-token': signedIn.body.csrfToken },
    });
    expect(out.status).toBe(204);
    await settle(a);
    expect((await onA.send('GET', '/session')).status).toBe(401);
  });
});

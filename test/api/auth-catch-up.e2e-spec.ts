import { EventStore } from '@accord/event-store';
import { createEventStore } from '@accord/platform';
import { initPlatformAdmin } from '../../apps/cli/src/commands/admin-init';
import { RunningApi, startApi } from './support/api-harness';

/**
 * A token written to the log by another writer (the CLI, another node) is accepted on its first use, even
 * though this api's read models learn of it only when its subscription next polls the file (250 ms): the
 * auth guard catches the read models up to the log's head before refusing (auth.guard.ts `holderOf`).
 * Without that, the first request below is answered 401.
 */
describe('a token issued outside this api', () => {
  let api: RunningApi;
  let other: EventStore;

  beforeAll(async () => {
    api = await startApi();
    // A second connection to the same events.db, as `accord admin init` opens: its appends do not wake the
    // api's subscription, which finds them only by polling.
    other = createEventStore(api.config.eventStore);
  });
  afterAll(async () => {
    await other.close();
    await api.close();
  });

  const me = (token: string) => fetch(`${api.url}/me`, { headers: { authorization: `Bearer ${token}` } });

  it('is accepted by the very next request', async () => {
    const admin = await initPlatformAdmin(other, {
      name: 'Ops',
      email: 'ops@platform.test.example',
      platformSecret: api.config.platformSecret,
    });
    const res = await me(admin.token);
    expect(res.status).toBe(200);
    expect(await res.json()).toMatchObject({ user: { id: admin.userId, role: 'admin' } });
  });

  it('while an unknown token is still refused with the bearer challenge', async () => {
    const res = await me(`acc_${'A'.repeat(43)}`);
    expect(res.status).toBe(401);
    expect(res.headers.get('www-authenticate')).toBe('Bearer realm="accord", error="invalid_token"');
  });
});

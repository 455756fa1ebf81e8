import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { sessionStreamId } from '@accord/domain';
import { EVENT_STORE, EventStore } from '@accord/event-store';
import { READ_DB, ReadYourWrites } from '@accord/platform';
import type { ReadDb } from '@accord/projections';
import { sessionIdOf } from '../../apps/api/src/auth/session-cookie';
import { TestClock } from '../agreements/support/partnership';
import { startApi } from '../api/support/api-harness';
import { World, WorldUser } from '../authz/world';
import { codeOf, CookieBrowser } from './support/browser';

const MINUTE = 60_000;

/** Browser sessions (docs/architecture.md §34, security.md §4.5) against the real api over HTTP. */
describe('browser sessions', () => {
  let world: World;
  let clock: TestClock;
  let dataDir: string;
  let closed = false;
  const secrets: string[] = [];
  const browser = () => new CookieBrowser(world.url);
  const store = () => world.api.app.get<EventStore>(EVENT_STORE);
  const sessionEvents = async (secret: string) =>
    (await store().readStream(sessionStreamId(sessionIdOf(secret)))).map((e) => [e.type, e.data]);
  const signedIn = async (user: WorldUser) => {
    const b = browser();
    const reply = await b.signIn(user.token);
    if (reply.status !== 201)
      throw new Error(`sign-in failed: ${reply.status} ${JSON.stringify(reply.body)}`);
    secrets.push(b.session!);
    return { b, csrf: reply.body.csrfToken as string };
  };

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'accord-sessions-'));
    world = await World.build(await startApi({ dataDir }));
    clock = new TestClock(world.api, new Date().toISOString());
  });
  afterAll(async () => {
    if (!closed) await world?.close();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('signs in with an API token: a 256-bit secret in an HttpOnly, Secure, SameSite=Strict cookie for the whole site', async () => {
    const lead = world.org('own').users['ig-lead'];
    const b = browser();
    const reply = await b.signIn(lead.token);
    expect(reply.status).toBe(201);
    const cookie = reply.setCookies.find((c) => c.startsWith('accord_session='))!;
    expect(cookie).toMatch(/^accord_session=[A-Za-z0-9_-]{43}; Path=\/; HttpOnly; Secure; SameSite=Strict$/);
    expect(cookie).not.toContain(lead.token);
    secrets.push(b.session!);
    expect(reply.headers.get('cache-control')).toBe('no-store');
    expect(reply.body).toEqual({
      csrfToken: expect.stringMatching(/^[A-Za-z0-9_-]{43}$/),
      user: {
        id: lead.userId,
        name: expect.stringContaining('Test ig-lead'),
        role: 'ig-lead',
        organisationId: world.org('own').id,
        organisationName: `Organisation ${world.org('own').id}`,
        teams: [],
        accessAgreementVersion: 1,
      },
      idleExpiresAt: new Date(clock.now().getTime() + 30 * MINUTE).toISOString(),
      absoluteExpiresAt: new Date(clock.now().getTime() + 8 * 60 * MINUTE).toISOString(),
    });
    expect(reply.body.csrfToken).not.toBe(b.session);

    const again = await b.send('GET', '/session');
    expect(again.status).toBe(200);
    expect(again.body).toEqual(reply.body);
    // The cookie alone authenticates the rest of the API too.
    const me = await b.send('GET', '/me');
    expect([me.status, me.body.user.id]).toEqual([200, lead.userId]);
  });

  it('GET /session without a live session is a 401 problem, and a dead cookie is cleared', async () => {
    const none = await browser().send('GET', '/session');
    expect([none.status, codeOf(none)]).toEqual([401, 'auth.unauthenticated']);
    expect(none.headers.get('content-type')).toMatch(/^application\/problem\+json/);
    const forged = browser();
    forged.cookies.set('accord_session', 'A'.repeat(43));
    const dead = await forged.send('GET', '/session');
    expect(dead.status).toBe(401);
    expect(dead.setCookies).toEqual([
      'accord_session=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict',
    ]);
  });

  it('a bad token is a 401 problem and counts towards the auth-failure throttle', async () => {
    // A prefix of its own, so this test's failures are counted apart from every other test's.
    const prefix = 'acc_sessthrt';
    let last = await browser().signIn(`${prefix}${'x'.repeat(43)}`);
    expect([last.status, codeOf(last)]).toEqual([401, 'auth.unauthenticated']);
    expect(last.setCookies).toEqual([]);
    for (let i = 1; i < 10; i++) last = await browser().signIn(`${prefix}${String(i).repeat(43)}`);
    expect(last.status).toBe(401);
    const throttled = await browser().signIn(`${prefix}${'y'.repeat(43)}`);
    expect([throttled.status, codeOf(throttled)]).toEqual([429, 'auth.throttled']);
    expect(Number(throttled.headers.get('retry-after'))).toBeGreaterThan(0);
  });

  it('a state change with the cookie needs the X-CSRF-Token header: missing or wrong is 403 auth.csrf', async () => {
    const user = await world.enrol(world.org('own').id, 'practitioner', { accept: false });
    const { b, csrf } = await signedIn(user);
    const accept = (headers?: Record<string, string>) =>
      b.send('POST', '/me/access-agreement', { body: { version: 1 }, ...(headers ? { headers } : {}) });
    for (const headers of [undefined, { 'x-csrf-token': 'A'.repeat(43) }, { 'x-csrf-token': b.session! }]) {
      const refused = await accept(headers);
      expect([refused.status, codeOf(refused)]).toEqual([403, 'auth.csrf']);
    }
    // Nothing changed: the access agreement is still not accepted.
    expect((await b.send('GET', '/session')).body.user.accessAgreementVersion).toBeNull();
    const done = await accept({ 'x-csrf-token': csrf });
    expect(done.status).toBe(200);
    expect((await b.send('GET', '/session')).body.user.accessAgreementVersion).toBe(1);
    // Another session's token does not do either.
    const other = await signedIn(world.org('own').users.practitioner);
    const crossed = await b.send('DELETE', '/session', { headers: { 'x-csrf-token': other.csrf } });
    expect([crossed.status, codeOf(crossed)]).toEqual([403, 'auth.csrf']);
    // A bearer client is not subject to it.
    const bearer = await world.client(user.token).post('/me/access-agreement', { version: 1 });
    expect(bearer.status).toBe(200);
  });

  it('signing out ends the session (SessionEnded signed-out) and clears the cookie; it needs the CSRF token', async () => {
    const { b, csrf } = await signedIn(world.org('own').users.auditor);
    const secret = b.session!;
    expect((await b.send('DELETE', '/session')).status).toBe(403);
    const out = await b.send('DELETE', '/session', { headers: { 'x-csrf-token': csrf } });
    expect(out.status).toBe(204);
    expect(out.setCookies).toEqual(['accord_session=; Max-Age=0; Path=/; HttpOnly; Secure; SameSite=Strict']);
    const replayed = new CookieBrowser(world.url);
    replayed.cookies.set('accord_session', secret);
    expect((await replayed.send('GET', '/session')).status).toBe(401);
    expect((await sessionEvents(secret)).map(([t]) => t)).toEqual(['SessionStarted', 'SessionEnded']);
    expect((await sessionEvents(secret))[1]![1]).toEqual(expect.objectContaining({ reason: 'signed-out' }));
  });

  it('a node that has not projected the session yet reads it from the event store (signed in on another node)', async () => {
    const { b } = await signedIn(world.org('other').users.practitioner);
    await world.api.app.get(ReadYourWrites).catchUp();
    const db = world.api.app.get<ReadDb>(READ_DB);
    const id = sessionIdOf(b.session!);
    expect(db.prepare('DELETE FROM sessions WHERE session_id = ?').run(id).changes).toBe(1);
    expect((await b.send('GET', '/session')).status).toBe(200);
  });

  it('suspending the user ends the session at its next request (SessionEnded user-suspended)', async () => {
    const user = await world.enrol(world.org('own').id, 'practitioner');
    const { b } = await signedIn(user);
    const secret = b.session!;
    expect((await b.send('GET', '/session')).status).toBe(200);
    await world.asAdmin.ok('POST', `/users/${user.userId}/suspension`, 200, { body: { reason: 'left' } });
    await world.api.app.get(ReadYourWrites).catchUp();
    const told = await b.send('GET', '/inbox');
    expect([told.status, codeOf(told)]).toEqual([403, 'user.suspended']);
    expect((await b.send('GET', '/session')).status).toBe(401);
    expect((await sessionEvents(secret)).at(-1)).toEqual([
      'SessionEnded',
      expect.objectContaining({ reason: 'user-suspended' }),
    ]);
  });

  it('revoking the token the session was opened with ends it at its next request (SessionEnded token-revoked)', async () => {
    const user = await world.enrol(world.org('own').id, 'practitioner');
    const { b } = await signedIn(user);
    const secret = b.session!;
    await world.client(user.token).ok('DELETE', `/users/${user.userId}/tokens/${user.tokenId}`, 200);
    await world.api.app.get(ReadYourWrites).catchUp();
    const after = await b.send('GET', '/session');
    expect([after.status, codeOf(after)]).toEqual([401, 'auth.unauthenticated']);
    expect((await sessionEvents(secret)).at(-1)).toEqual([
      'SessionEnded',
      expect.objectContaining({ reason: 'token-revoked' }),
    ]);
  });

  it('ends after 30 minutes idle; use renews it at most every 5 minutes, so every node agrees', async () => {
    const { b } = await signedIn(world.org('other').users['ig-lead']);
    const secret = b.session!;
    const start = clock.now().getTime();
    clock.set(new Date(start + 4 * MINUTE).toISOString());
    expect((await b.send('GET', '/session')).status).toBe(200);
    expect((await sessionEvents(secret)).map(([t]) => t)).toEqual(['SessionStarted']);
    clock.set(new Date(start + 25 * MINUTE).toISOString());
    const renewed = await b.send('GET', '/session');
    expect(renewed.body.idleExpiresAt).toBe(new Date(start + 55 * MINUTE).toISOString());
    expect((await sessionEvents(secret)).map(([t]) => t)).toEqual(['SessionStarted', 'SessionRenewed']);
    clock.set(new Date(start + 55 * MINUTE).toISOString());
    expect((await b.send('GET', '/session')).status).toBe(401);
    expect((await sessionEvents(secret)).at(-1)).toEqual([
      'SessionEnded',
      expect.objectContaining({ reason: 'idle' }),
    ]);
  });

  it('ends 8 hours after sign-in however busy it is', async () => {
    const { b } = await signedIn(world.org('other').users.auditor);
    const secret = b.session!;
    const start = clock.now().getTime();
    for (let m = 20; m < 8 * 60; m += 20) {
      clock.set(new Date(start + m * MINUTE).toISOString());
      expect((await b.send('GET', '/session')).status).toBe(200);
    }
    clock.set(new Date(start + 8 * 60 * MINUTE).toISOString());
    expect((await b.send('GET', '/session')).status).toBe(401);
    expect((await sessionEvents(secret)).at(-1)).toEqual([
      'SessionEnded',
      expect.objectContaining({ reason: 'absolute' }),
    ]);
  });

  it('survives a restart of the api on the same data directory', async () => {
    const { b, csrf } = await signedIn(world.org('own').users.practitioner);
    // The world's api goes for good here: every test that needs it runs before this one.
    await world.close();
    closed = true;
    const restarted = await startApi({ dataDir });
    try {
      new TestClock(restarted, clock.now().toISOString());
      b.url = restarted.url;
      const after = await b.send('GET', '/session');
      expect(after.status).toBe(200);
      expect(after.body.csrfToken).toBe(csrf);
      expect(after.body.user.id).toBe(world.org('own').users.practitioner.userId);
    } finally {
      await restarted.close();
    }
  });

  it('never stores the secret: not in the event store nor in any read-model file, only its SHA-256', async () => {
    if (!closed) await world.close();
    closed = true;
    expect(secrets.length).toBeGreaterThan(8);
    const files = readdirSync(dataDir)
      .filter((f) => /\.db(-wal|-shm)?$/.test(f))
      .map((f) => readFileSync(join(dataDir, f)));
    expect(files.length).toBeGreaterThanOrEqual(2);
    const everything = Buffer.concat(files);
    for (const secret of secrets) {
      expect(everything.includes(secret)).toBe(false);
      expect(everything.includes(Buffer.from(secret, 'base64url'))).toBe(false);
    }
    // The grep looks at the right bytes: each session's id (the digest) is there.
    expect(everything.includes(sessionIdOf(secrets[0]!))).toBe(true);
  });
});

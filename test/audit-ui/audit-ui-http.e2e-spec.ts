import { HOSPITAL, POLICE } from '../documents/support/documents-partnership';
import { AuditScenario, buildAuditScenario, NHS_NUMBER } from '../audit/support/audit-scenario';
import { fieldOf, UiClient } from './support/ui-client';

const HOSTILE = '<script>alert("x")</script>';

/** The audit view's doors, without a browser: sessions, refusals, CSRF, cookie flags and escaping. */
describe('the audit web view over plain HTTP', () => {
  let s: AuditScenario;
  const ui = () => new UiClient(s.world.url);
  const signedIn = async (token: string) => {
    const client = ui();
    const reply = await client.login(token);
    if (reply.status !== 303) throw new Error(`login failed: ${reply.status}`);
    return client;
  };

  beforeAll(async () => {
    s = await buildAuditScenario();
  });
  afterAll(() => s?.close());

  it('without a session every page answers 303 to the login form, never 401 JSON', async () => {
    for (const [method, path] of [
      ['GET', '/audit/ui'],
      ['GET', `/audit/ui?kind=document&value=${s.toPolice}`],
      ['POST', '/audit/ui/verify'],
      ['POST', '/audit/ui/logout'],
    ] as const) {
      const reply = method === 'GET' ? await ui().get(path) : await ui().post(path, {});
      expect([path, reply.status, reply.location]).toEqual([path, 303, '/audit/ui/login']);
    }
    const forged = ui();
    forged.setCookie('accord_session', 'not-a-session');
    expect((await forged.get('/audit/ui')).status).toBe(303);
    forged.setCookie('accord_session', 'A'.repeat(43));
    expect((await forged.get('/audit/ui')).status).toBe(303);
  });

  it("signing in sets an opaque HttpOnly, Secure, SameSite=Strict session cookie, the web app's own", async () => {
    const client = ui();
    const reply = await client.login(s.platformAuditor.token!);
    expect([reply.status, reply.location]).toEqual([303, '/audit/ui']);
    const session = reply.setCookies.find((c) => c.startsWith('accord_session='))!;
    expect(session).toMatch(/; Path=\/;/);
    expect(session).toMatch(/; HttpOnly/);
    expect(session).toMatch(/; Secure/);
    expect(session).toMatch(/; SameSite=Strict/);
    expect(session).not.toContain(s.platformAuditor.token!);
    const page = await client.get('/audit/ui');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(page.headers.get('content-security-policy')).toMatch(/default-src 'none'; style-src 'sha256-/);
    expect(page.html).not.toContain('<script');
  });

  it('a bad token is refused on the login page with 401 and no session', async () => {
    const client = ui();
    for (const token of ['', 'nonsense', `${s.platformAuditor.token!.slice(0, -4)}AAAA`]) {
      const reply = await client.login(token);
      expect(reply.status).toBe(401);
      expect(reply.html).toContain('That token is not valid.');
      expect(client.cookie('accord_session')).toBeUndefined();
    }
  });

  it('a practitioner is refused with a 403 page and no session; the admin too', async () => {
    for (const token of [s.police.token!, s.world.admin.token]) {
      const client = ui();
      const reply = await client.login(token);
      expect(reply.status).toBe(403);
      expect(reply.html).toContain('Only auditors and IG leads may use the audit view.');
      expect(client.cookie('accord_session')).toBeUndefined();
    }
  });

  it('a login form without its nonce cookie is refused with 403 (login CSRF)', async () => {
    const form = await ui().get('/audit/ui/login');
    const reply = await ui().post('/audit/ui/login', {
      nonce: fieldOf(form.html, 'nonce')!,
      token: s.platformAuditor.token!,
    });
    expect(reply.status).toBe(403);
    expect(reply.setCookies.some((c) => c.startsWith('accord_session='))).toBe(false);
  });

  it('a POST without the session CSRF token is refused with 403 and changes nothing', async () => {
    const client = await signedIn(s.platformAuditor.token!);
    const csrf = await client.csrf();
    for (const fields of [{}, { _csrf: 'x'.repeat(csrf.length) }] as Record<string, string>[]) {
      expect((await client.post('/audit/ui/verify', fields)).status).toBe(403);
      expect((await client.post('/audit/ui/logout', fields)).status).toBe(403);
    }
    expect((await client.post('/audit/ui/verify', { _csrf: csrf }, 'text/plain')).status).toBe(415);
    expect((await client.get('/audit/ui')).status).toBe(200);
    const verified = await client.post('/audit/ui/verify', { _csrf: csrf });
    expect(verified.status).toBe(200);
    expect(verified.html).toContain('The log is untampered');
    const out = await client.post('/audit/ui/logout', { _csrf: csrf });
    expect([out.status, out.location]).toEqual([303, '/audit/ui/login']);
    expect((await client.get('/audit/ui')).status).toBe(303);
  });

  it('a hostile search value is shown as text, never as markup, with the error status', async () => {
    const client = await signedIn(s.platformAuditor.token!);
    const q = (params: Record<string, string>) => `/audit/ui?${new URLSearchParams(params).toString()}`;
    for (const [params, status] of [
      [{ kind: 'organisation', value: HOSTILE }, 404],
      [{ kind: HOSTILE, value: 'x' }, 400],
      [{ kind: 'document', value: s.toPolice, asOfTime: HOSTILE }, 400],
      [{ kind: 'document', value: s.toPolice, asOfPosition: '-1' }, 400],
    ] as const) {
      const reply = await client.get(q(params));
      expect([params, reply.status]).toEqual([params, status]);
      expect(reply.html).toMatch(
        /<div role="alert">\s*<h2 class="govuk-error-summary__title">[^<]+<\/h2>[\s\S]*id="error"/,
      );
      expect(reply.html).not.toContain('<script>');
      expect(reply.html).not.toMatch(/\bat .+\.(?:ts|js):\d+/);
    }
    const echoed = await client.get(q({ kind: 'organisation', value: HOSTILE }));
    expect(echoed.html).toContain('value="&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;"');
    const csrf = await client.csrf();
    const subject = await client.post('/audit/ui', {
      _csrf: csrf,
      kind: 'subject',
      scheme: 'nhs-number',
      value: HOSTILE,
    });
    expect(subject.status).toBe(422);
    expect(subject.html).not.toContain('<script>');
  });

  it('a data subject is searched by POST and answered in the body: the identifier is never in a URL', async () => {
    const client = await signedIn(s.platformAuditor.token!);
    const csrf = await client.csrf();
    const found = await client.post('/audit/ui', {
      _csrf: csrf,
      kind: 'subject',
      scheme: 'nhs-number',
      value: NHS_NUMBER,
    });
    expect([found.status, found.location]).toEqual([200, null]);
    expect([...found.html.matchAll(/<tr data-type="(\w+)">/g)].map((m) => m[1])).toContain('DocumentShared');
    const digits = NHS_NUMBER.replace(/\s/g, '');
    for (const href of found.html.matchAll(/href="([^"]*)"/g)) expect(href[1]).not.toContain(digits);
    // In a URL it is refused, and not looked up.
    const inUrl = await client.get(`/audit/ui?kind=subject&scheme=nhs-number&value=${digits}`);
    expect(inUrl.status).toBe(400);
    expect(inUrl.html).not.toContain('<tr data-type=');
    // Without the session's CSRF token the posted search is refused.
    expect(
      (await client.post('/audit/ui', { kind: 'subject', scheme: 'nhs-number', value: digits })).status,
    ).toBe(403);
    // Any other search posts, then lands on its bookmarkable GET.
    const doc = await client.post('/audit/ui', { _csrf: csrf, kind: 'document', value: s.toPolice });
    expect(doc.status).toBe(303);
    expect(doc.location).toBe(`/audit/ui?kind=document&value=${s.toPolice}`);
  });

  it('an IG lead sees exactly what the JSON history shows them, cut to their organisation, and may not verify', async () => {
    const lead = await s.world.enrol(HOSPITAL, 'ig-lead');
    const client = await signedIn(lead.token);
    const page = await client.get(`/audit/ui?kind=document&value=${s.toPolice}`);
    expect(page.status).toBe(200);
    expect(page.html).toContain('your own organisation');
    const json = await s.world.client(lead.token).ok('GET', `/audit/documents/${s.toPolice}/history`, 200);
    const shown = [...page.html.matchAll(/<tr data-type="(\w+)">/g)].map((m) => m[1]);
    expect(shown).toEqual(json.body.items.map((e: { type: string }) => e.type));
    expect(shown).toEqual(['AccessDenied']);
    expect(page.html).not.toContain('id="verify"');
    const refused = await client.post('/audit/ui/verify', { _csrf: await client.csrf() });
    expect(refused.status).toBe(403);
    expect(refused.html).toContain('Only auditors may verify the log.');
  });

  it('suspending the account ends the session at its next request', async () => {
    const auditor = await s.world.enrol(POLICE, 'auditor');
    const client = await signedIn(auditor.token);
    expect((await client.get('/audit/ui')).status).toBe(200);
    await s.world.asAdmin.ok('POST', `/users/${auditor.userId}/suspension`, 200, {
      body: { reason: 'left the organisation' },
    });
    await s.settle();
    const after = await client.get('/audit/ui');
    expect([after.status, after.location]).toEqual([303, '/audit/ui/login']);
  });

  it('the pages are not part of the OpenAPI document', async () => {
    const doc = (await (await fetch(`${s.world.url}/docs-json`)).json()) as {
      paths: Record<string, unknown>;
    };
    expect(Object.keys(doc.paths).filter((p) => p.startsWith('/audit/ui'))).toEqual([]);
    expect(Object.keys(doc.paths)).toContain('/audit/verify');
  });
});

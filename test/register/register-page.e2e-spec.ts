import { Browser, chromium } from 'playwright-core';
import { buildPartnership, Partnership, seedAgreementBody, signAll } from '../agreements/support/partnership';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** A title a partner typed, with markup in it: the page must show it as text, never as markup. */
const TRICKY_TITLE = 'Youth custody <script>window.injected=1</script> & "resettlement" agreement';

/** The public register as a browser sees it: headless Chromium, no script needed, overdue flagged in words. */
describe('the public register page in a browser', () => {
  let p: Partnership;
  let browser: Browser;

  beforeAll(async () => {
    p = await buildPartnership('2023-05-22T09:00:00.000Z');
    const council = p.lead['staffordshire-cc']!;
    const seed = await council.ok('POST', '/agreements', 201, { body: seedAgreementBody() });
    p.clock.set('2023-09-19T10:00:00.000Z');
    await signAll(p, seed.body.id);
    p.clock.set('2024-03-01T09:00:00.000Z');
    const youth = await p.lead['staffs-yos']!.ok('POST', '/agreements', 201, {
      body: {
        ...seedAgreementBody(),
        title: TRICKY_TITLE,
        category: 'Learning and Education',
        leadOrg: 'staffs-yos',
        parties: ['staffs-yos', 'werrington-yoi', 'probation'],
      },
    });
    await signAll(p, youth.body.id, ['staffs-yos', 'werrington-yoi', 'probation']);
    // The seed agreement's first review fell due on 19 March 2024; the youth one is due in September.
    p.clock.set('2024-04-02T09:00:00.000Z');
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await p?.close();
  });

  it('renders the agreements in force under their categories, with the overdue review flagged in words', async () => {
    const page = await browser.newPage({ javaScriptEnabled: false });
    const response = await page.goto(`${p.world.url}/register`);
    expect(response?.status()).toBe(200);
    expect(response?.headers()['content-type']).toMatch(/^text\/html/);
    expect(await page.title()).toBe('Register of information sharing agreements in force');
    expect(await page.locator('html').getAttribute('lang')).toBe('en-GB');
    await expect(page.locator('h1').textContent()).resolves.toBe(
      'Register of information sharing agreements',
    );
    expect(await page.locator('h2').allTextContents()).toEqual(['Learning and Education', 'Safer Community']);

    const safer = page.locator('section', { has: page.locator('h2', { hasText: 'Safer Community' }) });
    await expect(safer.locator('caption').textContent()).resolves.toBe(
      'Safer Community: 1 agreement in force',
    );
    const seedRow = safer.locator('tbody tr');
    await expect(seedRow.locator('th[scope=row]').textContent()).resolves.toContain(
      p.fixture.agreement.title,
    );
    await expect(seedRow.locator('td').nth(1).textContent()).resolves.toBe('Staffordshire County Council');
    expect(await seedRow.locator('td').nth(2).locator('li').count()).toBe(10);
    const badge = seedRow.locator('.badge');
    expect(await badge.isVisible()).toBe(true);
    expect(await badge.textContent()).toBe('Review overdue');
    await expect(seedRow.locator('td').nth(3).locator('time').getAttribute('datetime')).resolves.toBe(
      '2024-03-19',
    );
    expect(await safer.locator('th[scope=col]').count()).toBe(5);

    const learning = page.locator('section', {
      has: page.locator('h2', { hasText: 'Learning and Education' }),
    });
    await expect(learning.locator('th[scope=row]').textContent()).resolves.toContain(TRICKY_TITLE);
    expect(await learning.locator('.badge').count()).toBe(0);
    expect(await page.locator('script').count()).toBe(0);

    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: '/tmp/register.png', fullPage: true });
    await page.close();
  });

  it("works with scripts enabled too and runs none of the partners' text", async () => {
    const page = await browser.newPage();
    await page.goto(`${p.world.url}/register`);
    expect(await page.evaluate(() => (globalThis as { injected?: number }).injected)).toBeUndefined();
    await page.close();
  });

  it('serves JSON to clients that do not ask for HTML, with a validator that answers 304', async () => {
    const first = await fetch(`${p.world.url}/register`);
    expect(first.headers.get('content-type')).toMatch(/^application\/json/);
    expect(first.headers.get('vary')).toBe('Accept');
    expect(first.headers.get('cache-control')).toBe('public, max-age=60');
    const body = (await first.json()) as { total: number };
    expect(body.total).toBe(2);
    const etag = first.headers.get('etag')!;
    expect(etag).toMatch(/^"[\w-]{32}"$/);
    // fetch() adds "Cache-Control: no-cache" to a conditional request (an end-to-end reload) unless told.
    const revalidate = { 'if-none-match': etag, 'cache-control': 'max-age=0' };
    const again = await fetch(`${p.world.url}/register`, { headers: revalidate });
    expect(again.status).toBe(304);
    const html = await fetch(`${p.world.url}/register`, { headers: { ...revalidate, accept: 'text/html' } });
    expect(html.status).toBe(200);
    expect(html.headers.get('content-security-policy')).toMatch(/default-src 'none'; style-src 'sha256-/);
  });
});

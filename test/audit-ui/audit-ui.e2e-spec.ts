import { existsSync } from 'node:fs';
import { Browser, chromium, Page } from 'playwright-core';
import { POLICE } from '../documents/support/documents-partnership';
import { AuditScenario, buildAuditScenario } from '../audit/support/audit-scenario';

const CHROMIUM = '/usr/bin/chromium';
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

const hasChromium = existsSync(CHROMIUM);
if (!hasChromium) console.warn(`audit-ui browser tests skipped: ${CHROMIUM} is not installed`);
const describeInBrowser = hasChromium ? describe : describe.skip;

const rowTypes = (page: Page) =>
  page.locator('#timeline tbody tr').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-type')));

/**
 * The auditor's web view as a browser sees it, scripts off (the pages need none): sign in with a token,
 * find a seeded document's accesses, go back in time before the first access, verify the log.
 */
describeInBrowser('the audit web view in headless Chromium', () => {
  let s: AuditScenario;
  let browser: Browser;

  beforeAll(async () => {
    s = await buildAuditScenario();
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await s?.close();
  });

  it('an auditor signs in, finds a document, sees its accesses, sees none as of before the first, and verifies the log', async () => {
    const context = await browser.newContext({ javaScriptEnabled: false });
    const page = await context.newPage();

    // Without a session every page leads to the sign-in form.
    await page.goto(`${s.world.url}/audit/ui`);
    expect(new URL(page.url()).pathname).toBe('/audit/ui/login');
    await page.fill('#token', s.platformAuditor.token!);
    await Promise.all([page.waitForURL(/\/audit\/ui$/), page.click('button[type=submit]')]);
    expect(await page.locator('h1').textContent()).toBe('Audit trail');

    // The browser holds an opaque session secret, unreadable by script: the web app's session.
    const [cookie] = (await context.cookies()).filter((c) => c.name === 'accord_session');
    expect(cookie).toMatchObject({ httpOnly: true, secure: true, sameSite: 'Strict', path: '/' });
    expect(cookie!.value).not.toContain(s.platformAuditor.token!);

    // Search the document shared to the police: the share, the police's open, the refusal, the block.
    await page.selectOption('#kind', 'document');
    await page.fill('#value', s.toPolice);
    await Promise.all([page.waitForURL(/value=/), page.click('#search button[type=submit]')]);
    expect(await rowTypes(page)).toEqual([
      'DocumentShared',
      'DocumentAccessed',
      'AccessDenied',
      'TransferBlocked',
    ]);
    const opened = page.locator('#timeline tr[data-type=DocumentAccessed]');
    await expect(opened.locator('td').nth(2).textContent()).resolves.toContain(`of ${POLICE}`);
    await expect(opened.locator('time').getAttribute('datetime')).resolves.toBe('2025-03-03T10:01:00.000Z');
    expect(await page.locator('#accesses-chart svg rect title').allTextContents()).toEqual([
      `2025-03-03, ${POLICE}: 1 access`,
    ]);
    expect(await page.locator('#uk-verdict').textContent()).toContain('UK-only held');
    await page.setViewportSize({ width: 1280, height: 900 });
    await page.screenshot({ path: '/tmp/audit-ui-search.png', fullPage: true });

    // As of 30 seconds after the share, 30 seconds before the first access: the share alone, no access.
    await page.fill('#asOfTime', '2025-03-03T10:00:30');
    await Promise.all([page.waitForURL(/asOfTime=/), page.click('#search button[type=submit]')]);
    expect(await rowTypes(page)).toEqual(['DocumentShared']);
    expect(await page.locator('#timeline tr[data-type=DocumentAccessed]').count()).toBe(0);
    expect(await page.locator('#accesses-none').isVisible()).toBe(true);
    expect(await page.locator('#cut time').getAttribute('datetime')).toBe('2025-03-03T10:00:30.000Z');

    // Verify: the same count of events as the JSON route reports.
    const json = await s.platformAuditor.ok('GET', '/audit/verify', 200);
    await Promise.all([page.waitForURL(/\/audit\/ui\/verify$/), page.click('#verify')]);
    const verdict = await page.locator('#verify-result').textContent();
    expect(verdict).toContain('untampered');
    expect(verdict).toContain(`${json.body.eventsChecked as number} events`);

    await page.screenshot({ path: '/tmp/audit-ui-verify.png', fullPage: true });

    // Signing out ends the session on the server, not only in the browser.
    await Promise.all([page.waitForURL(/\/audit\/ui\/login$/), page.click('header button[type=submit]')]);
    await page.goto(`${s.world.url}/audit/ui`);
    expect(new URL(page.url()).pathname).toBe('/audit/ui/login');
    await context.close();
  });
});

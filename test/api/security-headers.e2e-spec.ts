import { createHash } from 'node:crypto';
import { Browser, chromium } from 'playwright-core';
import { RunningApi, startApi } from './support/api-harness';

const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--no-first-run',
  '--disable-background-networking',
];

/** The headers helmet sets on every response, whatever the route. */
function expectHelmetHeaders(headers: Headers): void {
  expect(headers.get('x-content-type-options')).toBe('nosniff');
  expect(headers.get('x-frame-options')).toBe('DENY');
  expect(headers.get('referrer-policy')).toBe('no-referrer');
  expect(headers.get('strict-transport-security')).toMatch(/max-age=\d+/);
  expect(headers.get('cross-origin-opener-policy')).toBe('same-origin');
  expect(headers.get('cross-origin-resource-policy')).toBe('same-origin');
  expect(headers.get('x-powered-by')).toBeNull();
  expect(headers.get('content-security-policy')).toMatch(/frame-ancestors 'none'/);
  expect(headers.get('content-security-policy')).not.toMatch(/unsafe-inline|unsafe-eval/);
}

/** Every inline <style> of the page is admitted by a hash in its CSP, and nothing else is. */
function expectStylesPinned(html: string, csp: string): void {
  const styles = [...html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)].map((m) => m[1]!);
  expect(styles.length).toBeGreaterThan(0);
  for (const css of styles)
    expect(csp).toContain(`'sha256-${createHash('sha256').update(css).digest('base64')}'`);
}

describe('security headers (helmet) on the API and on every HTML page', () => {
  let api: RunningApi;
  let browser: Browser;
  beforeAll(async () => {
    api = await startApi();
    browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS });
  });
  afterAll(async () => {
    await browser?.close();
    await api?.close();
  });

  it('a JSON answer, and a problem, carry them with a CSP that allows nothing', async () => {
    for (const path of ['/health', '/no-such-route']) {
      const res = await fetch(api.url + path);
      expectHelmetHeaders(res.headers);
      expect(res.headers.get('content-security-policy')).toMatch(/^default-src 'none'/);
    }
  });

  it('the /register page carries them, its stylesheet pinned by hash', async () => {
    const res = await fetch(`${api.url}/register`, { headers: { accept: 'text/html' } });
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expectHelmetHeaders(res.headers);
    expectStylesPinned(await res.text(), res.headers.get('content-security-policy')!);
  });

  it('the audit web view carries them, its stylesheet pinned by hash, its forms posting to itself only', async () => {
    const res = await fetch(`${api.url}/audit/ui/login`);
    expect(res.headers.get('content-type')).toMatch(/^text\/html/);
    expectHelmetHeaders(res.headers);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/form-action 'self'/);
    expectStylesPinned(await res.text(), csp);
  });

  it('/docs carries them, and Swagger UI renders under its CSP with no violation reported', async () => {
    const res = await fetch(`${api.url}/docs`);
    expectHelmetHeaders(res.headers);
    const csp = res.headers.get('content-security-policy')!;
    expect(csp).toMatch(/script-src 'self'(;|$)/);
    expectStylesPinned(await res.text(), csp);

    const page = await browser.newPage();
    const violations: string[] = [];
    page.on('console', (m) => {
      if (/Content Security Policy/i.test(m.text())) violations.push(m.text());
    });
    await page.goto(`${api.url}/docs`);
    await page.locator('.swagger-ui .info .title').waitFor({ timeout: 20_000 });
    expect(await page.locator('.swagger-ui .info .title').textContent()).toContain('Accord');
    await page.locator('.opblock-tag').first().waitFor();
    expect(violations).toEqual([]);
    await page.close();
  });
});

import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { RunningApi, startApi } from '../api/support/api-harness';

const CSP =
  "default-src 'self'; script-src 'self' 'wasm-unsafe-eval'; style-src 'self'; img-src 'self' data:; " +
  "font-src 'self'; connect-src 'self'; worker-src 'self'; object-src 'none'; base-uri 'none'; " +
  "form-action 'self'; frame-ancestors 'none'";
const INDEX =
  '<!doctype html><title>Accord fixture</title><script type="module" src="/app/assets/app-3f9a1c.js"></script>';

const get = (api: RunningApi, path: string) => fetch(api.url + path, { redirect: 'manual' });

/** A GET with the path exactly as written, dots and all. */
function rawGet(api: RunningApi, path: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const { hostname, port } = new URL(api.url);
    request({ hostname, port, path }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    })
      .on('error', reject)
      .end();
  });
}

/** The web edge (docs/architecture.md §34): the built app at /app/ and GOV.UK's styles at /assets/govuk. */
describe('the web app and the GOV.UK assets', () => {
  let dist: string;
  let api: RunningApi;

  beforeAll(async () => {
    dist = mkdtempSync(join(tmpdir(), 'accord-web-'));
    mkdirSync(join(dist, 'assets'));
    writeFileSync(join(dist, 'index.html'), INDEX);
    writeFileSync(join(dist, 'assets', 'app-3f9a1c.js'), 'console.log("app")');
    writeFileSync(join(dist, 'robots.txt'), 'User-agent: *\nDisallow: /\n');
    api = await startApi({ env: { WEB_DIST_DIR: dist } });
  });
  afterAll(async () => {
    await api?.close();
    rmSync(dist, { recursive: true, force: true });
  });

  it('serves index.html at /app/ with the strict CSP and no caching; /app redirects there', async () => {
    const page = await get(api, '/app/');
    expect(page.status).toBe(200);
    expect(page.headers.get('content-type')).toMatch(/^text\/html/);
    expect(page.headers.get('content-security-policy')).toBe(CSP);
    expect(page.headers.get('cache-control')).toBe('no-store');
    expect(await page.text()).toBe(INDEX);
    const bare = await get(api, '/app');
    expect([bare.status, bare.headers.get('location')]).toEqual([301, '/app/']);
  });

  it('answers any other path under /app/ with index.html (the app routes it), under the same CSP', async () => {
    for (const path of ['/app/inbox', '/app/documents/0190-abc/open']) {
      const page = await get(api, path);
      expect([path, page.status, page.headers.get('content-security-policy')]).toEqual([path, 200, CSP]);
      expect(await page.text()).toBe(INDEX);
    }
    // A path climbing out of the build (sent raw: fetch would resolve the dots itself) is just an app route.
    for (const [path, status] of [
      ['/app/../package.json', 200],
      ['/app/.hidden', 200],
      ['/app/assets/../../package.json', 404],
    ] as const) {
      const raw = await rawGet(api, path);
      expect([path, raw.status]).toEqual([path, status]);
      expect(raw.body).not.toContain('"name": "accord"');
      if (status === 200) expect(raw.body).toBe(INDEX);
    }
  });

  it('serves hashed assets as immutable, other files uncached-but-revalidated, and a missing asset as 404', async () => {
    const script = await get(api, '/app/assets/app-3f9a1c.js');
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toMatch(/javascript/);
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    const robots = await get(api, '/app/robots.txt');
    expect([robots.status, robots.headers.get('cache-control')]).toEqual([200, 'no-cache']);
    const missing = await get(api, '/app/assets/app-000000.js');
    expect(missing.status).toBe(404);
    expect(missing.headers.get('content-type')).toMatch(/^application\/problem\+json/);
  });

  it('serves the GOV.UK stylesheet with its fonts and images under /assets/govuk, from the installed package', async () => {
    const css = await get(api, '/assets/govuk/govuk-frontend.min.css');
    expect(css.status).toBe(200);
    expect(css.headers.get('content-type')).toMatch(/^text\/css/);
    const text = await css.text();
    expect(text).toContain('.govuk-template');
    const urls = [...text.matchAll(/url\(([^)]+)\)/g)].map((m) => m[1]!);
    expect(urls.length).toBeGreaterThan(0);
    // Every font and image the stylesheet names is served from here: nothing is asked of a third party.
    for (const url of new Set(urls)) {
      expect(url).toMatch(/^\/assets\/govuk\/assets\//);
      expect([url, (await get(api, url)).status]).toEqual([url, 200]);
    }
    expect((await get(api, '/assets/govuk/assets/../package.json')).status).toBe(404);
    expect((await get(api, '/assets/govuk/assets/fonts/none.woff2')).status).toBe(404);
  });

  it('says how to build the app when it has not been built (503 problem)', async () => {
    const bare = await startApi({ env: { WEB_DIST_DIR: join(dist, 'not-there') } });
    try {
      const reply = await get(bare, '/app/');
      expect(reply.status).toBe(503);
      expect(reply.headers.get('content-type')).toMatch(/^application\/problem\+json/);
      const problem = (await reply.json()) as { type: string; detail: string };
      expect(problem.type).toMatch(/\/web\.not-built$/);
      expect(problem.detail).toContain('npm run build');
    } finally {
      await bare.close();
    }
  });
});

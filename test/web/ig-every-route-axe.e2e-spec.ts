import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { ROOT } from '../api/support/built-apps';
import { axe, AxeResult, axeTable, launchChromium, loaded, signedIn } from './support/ig-browser';
import { buildIgWorld, IgWorld, shareCaseNote } from './support/ig-world';

/**
 * Every route of the app, practitioner and IG lead pages alike, read from the two route registries
 * (apps/web/src/pages/practitioner-routes.tsx and pages/ig/index.tsx), visited with real data behind it
 * and checked by axe-core against WCAG 2.2 AA: none may have a serious or critical violation. A route added
 * to a registry without a way to fill its parameters here fails the test, so none is left out unnoticed.
 */
function registeredRoutes(): string[] {
  const source = (file: string) => readFileSync(join(ROOT, 'apps', 'web', 'src', 'pages', file), 'utf8');
  const practitioner = [...source('practitioner-routes.tsx').matchAll(/path: '([^']+)'/g)].map((m) => m[1]!);
  const ig = [...source(join('ig', 'index.tsx')).matchAll(/page\('([^']+)'/g)].map((m) => m[1]!);
  return [...practitioner, ...ig];
}

const ROUTES = registeredRoutes();

describe('every page of the app passes axe (WCAG 2.2 AA, no serious or critical violation)', () => {
  let world: IgWorld;
  let browser: Browser;
  let page: Page;
  let concrete: (pattern: string) => string;
  const results: AxeResult[] = [];

  beforeAll(async () => {
    world = await buildIgWorld('web-every-route');
    browser = await launchChromium();
    const note = await shareCaseNote(world, { scheme: 'nhs-number', value: '9434765919' });
    const lead = world.council.lead.client;
    const breach = await lead.ok('POST', '/breaches', 201, {
      body: {
        discoveredAt: new Date(Date.now() - 3_600_000).toISOString(),
        description: 'A referral was emailed to the wrong school.',
        nearMiss: false,
        severity: 'medium',
        agreementId: note.agreementId,
      },
    });
    const request = await lead.ok('POST', '/subject-requests', 201, {
      body: {
        kind: 'access',
        subject: { scheme: 'nhs-number', value: '9434765919' },
        reason: 'Letter of 3 May',
      },
    });
    const team = await lead.ok('POST', `/organisations/${world.council.id}/teams`, 201, {
      body: { name: 'MASH' },
    });
    const keys = await lead.ok('GET', `/organisations/${world.council.id}/keys`, 200);
    // No incident is detected in a quiet world: its pages are checked with a reference nobody has.
    const incident = randomUUID();
    const params: Record<string, (pattern: string) => string> = {
      ':id': (pattern) =>
        pattern.startsWith('agreements/')
          ? note.agreementId
          : pattern.startsWith('breaches/')
            ? String(breach.body.id)
            : pattern.startsWith('subject-requests/')
              ? String(request.body.id)
              : pattern.startsWith('incidents/')
                ? incident
                : note.documentId,
      ':teamId': () => String(team.body.id),
      ':fpr': () => String(keys.body.items[0].fingerprint),
    };
    concrete = (pattern: string) =>
      pattern.replace(/:[A-Za-z]+/g, (param) => {
        const fill = params[param];
        if (!fill) throw new Error(`route ${pattern}: no value for ${param} in this test`);
        return fill(pattern);
      });
    // The council's IG lead holds both roles the registries name (practitioner pages admit IG leads).
    page = (await signedIn(browser, world.url, world.council.lead.token)).page;
  });
  afterAll(async () => {
    console.log(`axe, every route of the app:\n${axeTable(results)}`);
    await browser?.close();
    await world?.close();
  });

  it('reads more than thirty routes from the two registries', () => {
    expect(ROUTES.length).toBeGreaterThan(30);
    expect(ROUTES).toEqual(expect.arrayContaining(['inbox', 'share', 'agreements/new', 'breaches/:id']));
  });

  it.each(ROUTES)('/app/%s', async (pattern) => {
    await page.goto(`/app/${concrete(pattern)}`);
    await loaded(page);
    const result = await axe(page, `/app/${pattern}`);
    results.push(result);
    expect(result.seriousOrCritical).toEqual([]);
  });

  it('/app/* (page not found) and /app/sign-in (signed out)', async () => {
    await page.goto('/app/no-such-page');
    await loaded(page);
    const notFound = await axe(page, '/app/* (page not found)');
    const signedOut = await browser.newContext({ baseURL: world.url });
    const signIn = await signedOut.newPage();
    await signIn.goto('/app/sign-in');
    await loaded(signIn);
    const signInResult = await axe(signIn, '/app/sign-in');
    await signedOut.close();
    results.push(notFound, signInResult);
    expect(notFound.seriousOrCritical).toEqual([]);
    expect(signInResult.seriousOrCritical).toEqual([]);
  });
});

import AxeBuilder from '@axe-core/playwright';
import { Browser, BrowserContext, chromium, Locator, Page } from 'playwright-core';

/** Debian's Chromium, headless: the browser the suites drive (no downloaded browser). */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: '/usr/bin/chromium', headless: true, args: ['--no-sandbox'] });
}

/**
 * A browser context signed in as the holder of `token`, the way a person does it: the sign-in page's
 * "API token" field and "Sign in" button. Each context has its own cookie jar, so two contexts are two people.
 */
export async function signedIn(
  browser: Browser,
  url: string,
  token: string,
): Promise<{ context: BrowserContext; page: Page }> {
  const context = await browser.newContext({ baseURL: url });
  const page = await context.newPage();
  await page.goto('/app/sign-in');
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.waitForURL((u) => !u.pathname.endsWith('/sign-in'));
  return { context, page };
}

/** One page's axe result: the violations of every impact, and the serious or critical ones named. */
export interface AxeResult {
  page: string;
  violations: number;
  seriousOrCritical: string[];
  passes: number;
}

/** WCAG 2.2 AA, as the Public Sector Bodies Accessibility Regulations require (issue 14). */
const WCAG = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa'];

export async function axe(page: Page, name: string): Promise<AxeResult> {
  const result = await new AxeBuilder({ page }).withTags(WCAG).analyze();
  return {
    page: name,
    violations: result.violations.length,
    seriousOrCritical: result.violations
      .filter((v) => v.impact === 'serious' || v.impact === 'critical')
      .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
    passes: result.passes.length,
  };
}

/** The per-page table the report quotes, printed once per suite. */
export function axeTable(results: readonly AxeResult[]): string {
  return results
    .map(
      (r) =>
        `${r.page}: ${r.seriousOrCritical.length} serious/critical, ${r.violations} violations in all, ${r.passes} rules passed`,
    )
    .join('\n');
}

/**
 * Waits until the page the address names is rendered (the layout's `main` carries its route path) and its
 * content has loaded (the pages say "Loading…" until their data arrives). Without the first wait, a check
 * right after a client-side navigation could pass on the previous page, which has an h1 and no "Loading…".
 */
export async function loaded(page: Page): Promise<void> {
  const path = new URL(page.url()).pathname.replace(/^\/app(?=\/|$)/, '') || '/';
  await page.locator(`main[data-path=${JSON.stringify(path)}]`).waitFor();
  await page.locator('h1').first().waitFor();
  // The first of the "Loading…" regions, re-resolved at each poll, is detached once none is left. (No
  // waitForFunction: the app's CSP refuses the eval its string predicates need.)
  await page.getByText('Loading…').first().waitFor({ state: 'detached' });
}

/** Follows a link (or a link styled as a button) to another page and waits until that page has loaded. */
export async function follow(page: Page, link: Locator): Promise<void> {
  const before = page.url();
  await link.click();
  await page.waitForURL((url) => url.href !== before);
  await loaded(page);
}

/**
 * Presses Tab until the focused element is the one `label` names (its <label>'s text, within the fieldset
 * whose legend is `legend` when given), as a keyboard user moves through a form; fails if it never gets there.
 */
export async function tabTo(page: Page, label: string, legend?: string): Promise<void> {
  for (let i = 0; i < 400; i += 1) {
    await page.keyboard.press('Tab');
    const focused = page.locator(':focus');
    const here =
      (await focused.count()) === 1 &&
      (await focused.evaluate(
        (el, [want, group]) => {
          // Runs in the page: the DOM types are the browser's, not this Node project's.
          const input = el as unknown as {
            labels: { textContent: string | null }[] | null;
            closest(s: string): { querySelector(s: string): { textContent: string | null } | null } | null;
          };
          const text = [...(input.labels ?? [])].map((l) => l.textContent?.trim() ?? '').join(' ');
          const legend = input.closest('fieldset')?.querySelector('legend')?.textContent?.trim() ?? '';
          return text === want && (!group || legend === group);
        },
        [label, legend ?? ''] as const,
      ));
    if (here) return;
  }
  throw new Error(`Tab never reached "${label}"${legend ? ` in "${legend}"` : ''}`);
}

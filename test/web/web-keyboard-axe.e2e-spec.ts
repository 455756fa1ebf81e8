import AxeBuilder from '@axe-core/playwright';
import { randomBytes } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { ROOT } from '../api/support/built-apps';
import { chooseFileWithKeyboard, tabTo } from './support/keyboard';
import { SEED_PURPOSE } from './support/web-pages';
import {
  BROWSER_PASSPHRASE,
  COUNCIL,
  importKey,
  personContext,
  POLICE,
  startWebWorld,
  type WebWorld,
} from './support/web-world';

/**
 * Issue 14 §7 and §8: the whole share and open flow with the keyboard alone; axe-core on every page; the
 * README's screenshots (to docs/screenshots with ACCORD_SCREENSHOTS=1, else to a temporary directory).
 */
describe('the web app with the keyboard alone, and accessibility', () => {
  let world: WebWorld;
  let council: { context: BrowserContext; page: Page };
  let police: { context: BrowserContext; page: Page };
  const marker = `KEYBOARD-MARKER-${randomBytes(8).toString('hex')}`;
  const original = Buffer.concat([Buffer.from(`Referral ${marker}\n`), randomBytes(50_000)]);
  let file: string;
  let documentId: string;
  const screenshots =
    process.env.ACCORD_SCREENSHOTS === '1'
      ? join(ROOT, 'docs', 'screenshots')
      : mkdtempSync(join(tmpdir(), 'accord-screenshots-'));
  /** Per page, the axe violations found, by impact. */
  const axeResults: Record<string, { serious: string[]; all: string[] }> = {};

  async function axe(page: Page, name: string): Promise<void> {
    const result = await new AxeBuilder({ page })
      .withTags(['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'wcag22aa', 'best-practice'])
      .analyze();
    axeResults[name] = {
      serious: result.violations
        .filter((v) => v.impact === 'serious' || v.impact === 'critical')
        .map((v) => `${v.id}: ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`),
      all: result.violations.map((v) => `${v.impact}:${v.id}`),
    };
  }

  beforeAll(async () => {
    world = await startWebWorld(marker);
    file = join(world.work, 'referral.bin');
    writeFileSync(file, original);
    mkdirSync(screenshots, { recursive: true });
    const person = async (token: string, keyFile: string) => {
      const context = await personContext(world);
      const page = await context.newPage();
      await page.setViewportSize({ width: 1200, height: 900 });
      return { context, page, token, keyFile };
    };
    council = await person(world.councilPractitioner.client.token!, world.keys[COUNCIL]!.file);
    police = await person(world.policePractitioner.client.token!, world.keys[POLICE]!.file);
  });
  afterAll(async () => {
    console.log(`axe-core violations per page:\n${JSON.stringify(axeResults, null, 2)}`);
    await world?.close();
  });

  it('signs in with the keyboard alone', async () => {
    const { page } = council;
    await page.goto('/app/sign-in');
    // The app renders after its script loads: axe on the page before that would check an empty shell.
    await page.getByLabel('API token').waitFor();
    await axe(page, 'sign-in');
    await tabTo(page, { id: 'token' });
    await page.keyboard.type(world.councilPractitioner.client.token!);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await importKey(page, world.keys[COUNCIL]!.file);
    await axe(page, 'keys');
  });

  it('shares a file with the keyboard alone', async () => {
    const { page } = council;
    await page.goto('/app/inbox');
    await tabTo(page, { text: 'Share' });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Share a document' }).waitFor();

    await tabTo(page, { id: 'file' });
    await chooseFileWithKeyboard(page, 'file', file);
    await tabTo(page, { id: 'agreement' });
    await page.keyboard.press('ArrowDown');
    await page.getByRole('group', { name: 'Recipients' }).waitFor();
    await tabTo(page, { text: 'Staffordshire Police' });
    await page.keyboard.press('Space');
    await page.getByLabel('Public protection unit').waitFor();
    await tabTo(page, { text: 'Public protection unit' });
    await page.keyboard.press('Space');
    await tabTo(page, { text: SEED_PURPOSE });
    await page.keyboard.press('Space');
    await tabTo(page, { text: 'Name' });
    await page.keyboard.press('Space');
    await tabTo(page, { text: 'Descriptions of abuse' });
    await page.keyboard.press('Space');
    await tabTo(page, { text: 'Fact' });
    await page.keyboard.press('Space');
    await tabTo(page, { id: 'title' });
    await page.keyboard.press('Control+A');
    await page.keyboard.type('Referral to the public protection unit');
    await tabTo(page, { id: 'passphrase' });
    await page.keyboard.type(BROWSER_PASSPHRASE);
    await axe(page, 'share (filled in)');
    await page.screenshot({ path: join(screenshots, 'share.png'), fullPage: true });
    // The button appears once the key and the agreement's offer are in; before that, Tab would pass it by
    // and reach the navigation's "Share" link.
    await page.getByRole('button', { name: 'Share' }).waitFor();
    await tabTo(page, { text: 'Share' });
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Document shared' }).waitFor();
    documentId = (await page.locator('#document-reference').textContent())!.trim();
    await axe(page, 'share confirmation');
  });

  it('shows refusals in an error summary linked to each field', async () => {
    const { page } = council;
    await page.goto('/app/share');
    await page.getByRole('button', { name: 'Share' }).click();
    const summary = page.locator('.govuk-error-summary');
    await summary.waitFor();
    expect(await summary.textContent()).toContain('Select a file to share');
    // The summary takes the focus, so a screen reader announces it at once.
    expect(await page.evaluate("document.activeElement.classList.contains('govuk-error-summary')")).toBe(
      true,
    );
    await axe(page, 'share (errors)');
  });

  it('opens the document with the keyboard alone: the saved file is the original', async () => {
    const { page } = police;
    await page.goto('/app/sign-in');
    await tabTo(page, { id: 'token' });
    await page.keyboard.type(world.policePractitioner.client.token!);
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { name: 'Inbox' }).waitFor();
    await importKey(page, world.keys[POLICE]!.file);

    await page.goto('/app/inbox');
    await page.getByRole('link', { name: 'Referral to the public protection unit' }).waitFor();
    await axe(page, 'inbox');
    await page.screenshot({ path: join(screenshots, 'inbox.png'), fullPage: true });
    await tabTo(page, { text: 'Referral to the public protection unit' });
    await page.keyboard.press('Enter');
    await page.getByRole('button', { name: 'Open' }).waitFor();
    await axe(page, 'document');
    await page.screenshot({ path: join(screenshots, 'document.png'), fullPage: true });
    await tabTo(page, { id: 'passphrase' });
    await page.keyboard.type(BROWSER_PASSPHRASE);
    await tabTo(page, { text: 'Open' });
    const download = page.waitForEvent('download');
    await page.keyboard.press('Enter');
    expect(readFileSync((await (await download).path())!).equals(original)).toBe(true);
    expect(documentId).toMatch(/^[0-9a-f-]{36}$/);
  });

  it('axe-core finds no serious or critical violation on any page', () => {
    expect(Object.keys(axeResults).sort()).toEqual(
      [
        'document',
        'inbox',
        'keys',
        'share (errors)',
        'share (filled in)',
        'share confirmation',
        'sign-in',
      ].sort(),
    );
    for (const [page, result] of Object.entries(axeResults))
      expect({ page, serious: result.serious }).toEqual({ page, serious: [] });
  });

  it('wrote the screenshots of the inbox, the share page and a document page', () => {
    for (const name of ['inbox', 'share', 'document'])
      expect(statSync(join(screenshots, `${name}.png`)).size).toBeGreaterThan(10_000);
  });
});

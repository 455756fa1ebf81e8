import { createHash } from 'node:crypto';
import { createReadStream } from 'node:fs';
import type { Download, Page } from 'playwright-core';
import { BROWSER_PASSPHRASE } from './web-world';

export interface ShareChoice {
  file: string;
  /** Recipient organisations by name, as the page lists them. */
  recipients: string[];
  /** Team names to address at the recipients, if any. */
  teams?: string[];
  title: string;
  nature?: 'Fact' | 'Opinion' | 'Both fact and opinion';
  categories?: string[];
  /** Called once Share is pressed, before the confirmation (e.g. to watch the progress bars). */
  whileSharing?: (page: Page) => Promise<void>;
}

/** The first purpose of the seed agreement, which the shares below are made for. */
export const SEED_PURPOSE = 'protecting children from maltreatment';

/** Fills the share page with the pointer, submits, and returns the reference on the confirmation page. */
export async function shareInBrowser(page: Page, c: ShareChoice): Promise<string> {
  await page.goto('/app/share');
  await page.getByLabel('File', { exact: true }).setInputFiles(c.file);
  await page.getByLabel('Agreement', { exact: true }).selectOption({ index: 1 });
  const recipients = page.getByRole('group', { name: 'Recipients' });
  for (const r of c.recipients) await recipients.getByLabel(r, { exact: true }).check();
  for (const t of c.teams ?? []) await page.getByLabel(t, { exact: true }).check();
  await page.getByRole('group', { name: 'Purpose' }).getByLabel(SEED_PURPOSE, { exact: true }).check();
  const categories = page.getByRole('group', { name: 'Data categories' });
  for (const cat of c.categories ?? ['Name', 'Descriptions of abuse'])
    await categories.getByLabel(cat, { exact: true }).check();
  await page
    .getByRole('group', { name: 'Fact or opinion' })
    .getByLabel(c.nature ?? 'Fact', { exact: true })
    .check();
  await page.getByLabel('Title', { exact: true }).fill(c.title);
  // The Share button appears once the page knows the stored key, and with it whether a passphrase is asked.
  await page.getByRole('button', { name: 'Share' }).waitFor();
  const passphrase = page.getByLabel('Passphrase for your key');
  if (await passphrase.isVisible()) await passphrase.fill(BROWSER_PASSPHRASE);
  await page.getByRole('button', { name: 'Share' }).click();
  await c.whileSharing?.(page);
  await page.getByRole('heading', { name: 'Document shared' }).waitFor({ timeout: 110_000 });
  return (await page.locator('#document-reference').textContent())!.trim();
}

/** Opens a document with the pointer; resolves with the download the page saved. */
export async function openInBrowser(page: Page, documentId: string): Promise<Download> {
  await page.goto(`/app/documents/${documentId}`);
  await page.getByRole('button', { name: 'Open' }).waitFor();
  const passphrase = page.getByLabel('Passphrase for your key');
  if (await passphrase.isVisible()) await passphrase.fill(BROWSER_PASSPHRASE);
  const download = page.waitForEvent('download', { timeout: 110_000 });
  await page.getByRole('button', { name: 'Open' }).click();
  return download;
}

export async function sha256File(path: string): Promise<string> {
  const hash = createHash('sha256');
  for await (const chunk of createReadStream(path)) hash.update(chunk as Buffer);
  return hash.digest('hex');
}

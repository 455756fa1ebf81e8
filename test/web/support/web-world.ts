import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { chromium, type Browser, type BrowserContext, type Page } from 'playwright-core';
import { DemoClient } from '../../../apps/cli/src/demo/demo-client';
import { enrol, seedPartnership, type DemoUser } from '../../../apps/cli/src/demo/demo-partnership';
import { builtEntry, ROOT } from '../../api/support/built-apps';
import { startBuiltApi, type BuiltApi } from '../../documents-large/support/built-api';
import { startRecordingProxy, type RecordingProxy } from './recording-proxy';

export const COUNCIL = 'staffordshire-cc';
export const POLICE = 'staffordshire-police';
/** The passphrase each practitioner protects their key with in the browser. */
export const BROWSER_PASSPHRASE = 'correct horse battery staple';

export interface WebWorld {
  api: BuiltApi;
  /** Where the browsers go: the recording proxy in front of the api. */
  url: string;
  proxy: RecordingProxy;
  dataDir: string;
  work: string;
  agreementId: string;
  /** Armored private keys (unprotected, as the seeding made them), by organisation, and their files. */
  keys: Record<string, { privateKey: string; publicKey: string; fingerprint: string; file: string }>;
  /** The platform admin `accord admin init` made. */
  admin: DemoClient;
  /** Each party's IG lead, by organisation. */
  leads: Record<string, DemoUser>;
  councilPractitioner: DemoUser;
  /** In the police team the shares below are addressed to. */
  policePractitioner: DemoUser;
  /** Same organisation, not in that team. */
  policeColleague: DemoUser;
  policeTeamId: string;
  browser: Browser;
  close(): Promise<void>;
}

/**
 * The built api on a fresh DATA_DIR (`accord admin init` first, as an operator does), the Staffordshire
 * partnership seeded over HTTP by the demo's own code (organisations, IG leads, keys, the agreement signed
 * into force), a practitioner at the council and two at the police, one of them in a team, and Debian's
 * Chromium driven by playwright-core.
 */
export async function startWebWorld(marker: string): Promise<WebWorld> {
  builtEntry('cli');
  const dataDir = mkdtempSync(join(tmpdir(), 'accord-web-data-'));
  const work = mkdtempSync(join(tmpdir(), 'accord-web-work-'));
  const init = spawnSync(
    process.execPath,
    [join(ROOT, 'bin', 'accord'), 'admin', 'init', '--name', 'Ops', '--email', 'ops@platform.test.example'],
    { env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir }, encoding: 'utf8' },
  );
  if (init.status !== 0) throw new Error(`accord admin init failed: ${init.stderr}`);
  const api = await startBuiltApi(dataDir);
  const admin = new DemoClient(api.url, init.stdout.trim());
  const partnership = await seedPartnership(admin, () => undefined);

  const keys: WebWorld['keys'] = {};
  for (const org of [COUNCIL, POLICE]) {
    const k = partnership.keys[org]!;
    const file = join(work, `${org}-private.asc`);
    writeFileSync(file, k.privateKey);
    keys[org] = { privateKey: k.privateKey, publicKey: k.publicKey, fingerprint: k.fingerprint, file };
  }
  const councilLead = partnership.leads[COUNCIL]!.client;
  const policeLead = partnership.leads[POLICE]!.client;
  const councilPractitioner = await enrol(councilLead, COUNCIL, 'practitioner', 'social worker');
  const policePractitioner = await enrol(policeLead, POLICE, 'practitioner', 'public protection officer');
  const policeColleague = await enrol(policeLead, POLICE, 'practitioner', 'traffic officer');
  const { body: team } = await policeLead.ok(201, 'POST', `/organisations/${POLICE}/teams`, {
    name: 'Public protection unit',
  });
  const policeTeamId = String(team.id);
  await policeLead.ok(
    200,
    'PUT',
    `/organisations/${POLICE}/teams/${policeTeamId}/members/${policePractitioner.userId}`,
  );

  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', headless: true });
  const proxy = await startRecordingProxy(api.url, Buffer.from(marker));
  return {
    api,
    url: proxy.url,
    proxy,
    dataDir,
    work,
    agreementId: partnership.agreementId,
    keys,
    admin,
    leads: partnership.leads,
    councilPractitioner,
    policePractitioner,
    policeColleague,
    policeTeamId,
    browser,
    async close() {
      await browser.close().catch(() => undefined);
      await proxy.close();
      await api.stop();
      rmSync(dataDir, { recursive: true, force: true });
      rmSync(work, { recursive: true, force: true });
    },
  };
}

/** A browser context per person, downloads accepted, the app's origin as base URL. */
export async function personContext(world: WebWorld): Promise<BrowserContext> {
  return world.browser.newContext({ baseURL: world.url, acceptDownloads: true });
}

export async function signIn(page: Page, token: string): Promise<void> {
  await page.goto('/app/sign-in');
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('heading', { name: 'Inbox' }).waitFor();
}

/** Imports the organisation's private key into this browser's keyring, protected by BROWSER_PASSPHRASE. */
export async function importKey(page: Page, keyFile: string): Promise<void> {
  await page.goto('/app/keys/import');
  await page.getByLabel('Key file').setInputFiles(keyFile);
  await page.getByLabel('Passphrase to protect it in this browser').fill(BROWSER_PASSPHRASE);
  await page.getByLabel('Confirm the passphrase').fill(BROWSER_PASSPHRASE);
  await page.getByRole('button', { name: 'Import key' }).click();
  await page.getByRole('heading', { name: 'Keys in this browser' }).waitFor();
  await page.getByText('Uploaded, active').waitFor();
}

/** Every regular file under `dir` that contains `marker`, relative paths. */
export function filesContaining(dir: string, marker: Buffer): string[] {
  const found: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      const path = join(d, name);
      const st = statSync(path);
      if (st.isDirectory()) walk(path);
      else if (st.isFile() && readFileSync(path).includes(marker)) found.push(path.slice(dir.length + 1));
    }
  };
  walk(dir);
  return found;
}

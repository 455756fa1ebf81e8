import { randomBytes } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { BrowserContext, Page } from 'playwright-core';
import { generateOrganisationKey } from '@accord/crypto';
import { GnupgHome } from '../interop/support/gnupg-home';
import { openInBrowser, shareInBrowser } from './support/web-pages';
import {
  BROWSER_PASSPHRASE,
  COUNCIL,
  filesContaining,
  importKey,
  personContext,
  POLICE,
  signIn,
  startWebWorld,
  type WebWorld,
} from './support/web-world';

/**
 * Issue 14 §7 in a real browser: practitioners of two organisations share and open documents end to end
 * encrypted, interoperable with GnuPG both ways, with the refusals a recipient must see, and with the
 * plaintext never leaving the browser.
 */
describe('the web app: share and open in the browser', () => {
  let world: WebWorld;
  let council: { context: BrowserContext; page: Page };
  let police: { context: BrowserContext; page: Page };
  const marker = `ACCORD-PLAINTEXT-MARKER-${randomBytes(8).toString('hex')}`;
  const original = Buffer.concat([
    Buffer.from(`Case note ${marker}\n`),
    randomBytes(300_000),
    Buffer.from(marker),
  ]);
  let originalFile: string;
  let sharedId: string;

  async function person(token: string, keyFile: string) {
    const context = await personContext(world);
    const page = await context.newPage();
    await signIn(page, token);
    await importKey(page, keyFile);
    return { context, page };
  }

  beforeAll(async () => {
    world = await startWebWorld(marker);
    originalFile = join(world.work, 'case-note.bin');
    writeFileSync(originalFile, original);
    council = await person(world.councilPractitioner.client.token!, world.keys[COUNCIL]!.file);
    police = await person(world.policePractitioner.client.token!, world.keys[POLICE]!.file);
  });
  afterAll(async () => world?.close());

  it('a council practitioner shares a file and a police practitioner opens it: the saved file is the original, byte for byte', async () => {
    sharedId = await shareInBrowser(council.page, {
      file: originalFile,
      recipients: ['Staffordshire Police'],
      teams: ['Public protection unit'],
      title: 'Strategy meeting note',
    });
    expect(sharedId).toMatch(/^[0-9a-f-]{36}$/);

    await police.page.goto('/app/inbox');
    await police.page.getByRole('link', { name: 'Strategy meeting note' }).waitFor();
    const download = await openInBrowser(police.page, sharedId);
    const saved = readFileSync((await download.path())!);
    expect(saved.equals(original)).toBe(true);
    await police.page.getByText('The signature and contents were checked').waitFor();
  });

  it('the ciphertext the browser uploaded decrypts with gpg --decrypt, with a good signature by the council key', async () => {
    const stored = await world.policePractitioner.client.content(sharedId);
    expect(stored.status).toBe(200);
    const home = await GnupgHome.create();
    try {
      await home.importKey(world.keys[POLICE]!.privateKey);
      await home.importKey(world.keys[COUNCIL]!.publicKey);
      const out = await home.gpgOk(['--status-fd', '2', '--decrypt'], stored.bytes);
      expect(out.stdout.equals(original)).toBe(true);
      expect(out.stderr).toMatch(/\[GNUPG:\] VALIDSIG/);
      expect(out.stderr.toLowerCase()).toContain(world.keys[COUNCIL]!.fingerprint);
    } finally {
      await home.dispose();
    }
  });

  it('a document made with gpg --encrypt --sign and uploaded opens in the browser', async () => {
    const home = await GnupgHome.create();
    let id: string;
    const plain = Buffer.from(`gpg-made note ${randomBytes(16).toString('hex')}\n`);
    try {
      await home.importKey(world.keys[COUNCIL]!.privateKey);
      await home.importKey(world.keys[POLICE]!.publicKey);
      const encrypted = await home.gpgOk(
        [
          '--encrypt',
          '--sign',
          '--local-user',
          world.keys[COUNCIL]!.fingerprint,
          '--recipient',
          world.keys[POLICE]!.fingerprint,
          '--recipient',
          world.keys[COUNCIL]!.fingerprint,
        ],
        plain,
      );
      const reply = await world.councilPractitioner.client.share(
        {
          agreementId: world.agreementId,
          recipients: [POLICE],
          purpose: 'protecting children from maltreatment',
          dataCategories: ['name'],
          nature: 'opinion',
          title: 'Made with GnuPG',
        },
        encrypted.stdout,
      );
      expect(reply.status).toBe(201);
      id = String(reply.body.documentId);
    } finally {
      await home.dispose();
    }
    const download = await openInBrowser(police.page, id);
    expect(readFileSync((await download.path())!).equals(plain)).toBe(true);
  });

  it('a title with a right-to-left override is saved, and shown as saved, under a name without it', async () => {
    // "Invoice<U+202E>fdp.exe" reads "Invoiceexe.pdf": the name must not pass an .exe off as a PDF.
    const small = join(world.work, 'small.bin');
    writeFileSync(small, Buffer.from(`small ${marker}`));
    const id = await shareInBrowser(council.page, {
      file: small,
      recipients: ['Staffordshire Police'],
      teams: ['Public protection unit'],
      title: 'Invoice\u202Efdp.exe',
    });
    const download = await openInBrowser(police.page, id);
    await download.path();
    const saved = police.page.getByText('The signature and contents were checked');
    await saved.waitFor();
    expect(await saved.textContent()).toContain('Saved as Invoicefdp.exe');
    expect(download.suggestedFilename()).not.toMatch(/[\p{Cc}\p{Cf}]/u);
    // Shown as it was typed, the override made visible rather than obeyed: the page heading, the tab's
    // title and the inbox entry, each isolated from the text around it.
    const shown = 'Invoice[U+202E]fdp.exe';
    const heading = police.page.getByRole('heading', { level: 1 });
    expect(await heading.textContent()).toBe(shown);
    expect(await heading.locator('bdi').count()).toBe(1);
    expect(await police.page.title()).toContain(shown);
    await police.page.goto('/app/inbox');
    const entry = police.page.getByRole('link', { name: shown });
    await entry.first().waitFor();
    expect(await police.page.locator('main').textContent()).not.toContain('\u202E');
  });

  it('a colleague outside the addressed team is refused in words, and nothing is saved', async () => {
    const context = await personContext(world);
    try {
      const page = await context.newPage();
      await signIn(page, world.policeColleague.client.token!);
      await importKey(page, world.keys[POLICE]!.file);
      let downloads = 0;
      page.on('download', () => (downloads += 1));
      await page.goto(`/app/documents/${sharedId}`);
      // Refused when the page loads (the api hides the document) or when Open is pressed.
      const open = page.getByRole('button', { name: 'Open' });
      const summary = page.locator('.govuk-error-summary');
      await open.or(summary).first().waitFor();
      if (await open.isVisible()) {
        await page.getByLabel('Passphrase for your key').fill(BROWSER_PASSPHRASE);
        await open.click();
        await summary.waitFor();
      }
      expect(await summary.textContent()).toMatch(/team/i);
      expect(downloads).toBe(0);
    } finally {
      await context.close();
    }
  });

  it('a document signed by a key that is not the sender organisation’s is refused in words, and nothing is saved', async () => {
    const stranger = await generateOrganisationKey({ name: 'Not the council', email: 'x@stranger.example' });
    const home = await GnupgHome.create();
    let id: string;
    try {
      await home.importKey(stranger.privateKey);
      await home.importKey(world.keys[POLICE]!.publicKey);
      const encrypted = await home.gpgOk(
        [
          '--encrypt',
          '--sign',
          '--local-user',
          stranger.fingerprint,
          '--recipient',
          world.keys[POLICE]!.fingerprint,
        ],
        Buffer.from(`forged ${marker}`),
      );
      const reply = await world.councilPractitioner.client.share(
        {
          agreementId: world.agreementId,
          recipients: [POLICE],
          purpose: 'protecting children from maltreatment',
          dataCategories: ['name'],
          nature: 'fact',
          title: 'Signed by a stranger',
        },
        encrypted.stdout,
      );
      expect(reply.status).toBe(201);
      id = String(reply.body.documentId);
    } finally {
      await home.dispose();
    }
    let downloads = 0;
    police.page.on('download', () => (downloads += 1));
    await police.page.goto(`/app/documents/${id}`);
    await police.page.getByRole('button', { name: 'Open' }).waitFor();
    const passphrase = police.page.getByLabel('Passphrase for your key');
    if (await passphrase.isVisible()) await passphrase.fill(BROWSER_PASSPHRASE);
    await police.page.getByRole('button', { name: 'Open' }).click();
    await police.page
      .getByText('its signature is not a valid one by a key of the sending organisation')
      .first()
      .waitFor();
    expect(downloads).toBe(0);
  });

  it('no request body either browser sent, and no file under DATA_DIR, contains the plaintext marker', () => {
    const uploads = world.proxy.bodies.filter((b) => b.method === 'POST' && b.path === '/documents');
    // The browser's own share passed the proxy, ciphertext larger than the file it encrypted.
    expect(uploads.length).toBeGreaterThan(0);
    expect(Math.max(...uploads.map((u) => u.size))).toBeGreaterThan(original.length);
    expect(world.proxy.bodies.filter((b) => b.containsMarker)).toEqual([]);
    expect(filesContaining(world.dataDir, Buffer.from(marker))).toEqual([]);
  });

  it('the sender revokes from the document page; the recipient is then refused in words', async () => {
    await council.page.goto(`/app/documents/${sharedId}`);
    await council.page.getByRole('button', { name: 'Revoke' }).click();
    await council.page.getByLabel('Why are you revoking it?').fill('Sent to the wrong team');
    await council.page.getByRole('button', { name: 'Revoke document' }).click();
    await council.page.getByText('Revoked by the sender').first().waitFor();

    await police.page.goto(`/app/documents/${sharedId}`);
    await police.page.getByText('This document can no longer be opened').waitFor();
    expect(await police.page.getByRole('button', { name: 'Open' }).count()).toBe(0);
  });

  it('Sign out in a tab left open while another tab signed out and in again ends the session the browser holds', async () => {
    const context = await personContext(world);
    try {
      const stale = await context.newPage();
      await signIn(stale, world.councilPractitioner.client.token!);
      // Another tab of the same browser signs out and in again: a new session, and a new CSRF token the
      // first tab has not seen.
      const other = await context.newPage();
      await other.goto('/app/inbox');
      await other.getByRole('heading', { name: 'Inbox' }).waitFor();
      await other.getByRole('button', { name: 'Sign out' }).click();
      await signIn(other, world.councilPractitioner.client.token!);
      await stale.getByRole('button', { name: 'Sign out' }).click();
      await stale.getByLabel('API token').waitFor();
      const status = await other.evaluate(async () => (await fetch('/session')).status);
      expect(status).toBe(401);
    } finally {
      await context.close();
    }
  });

  it('a newcomer signing in with the enrolment token the admin gave them is told in words what to do with it', async () => {
    await world.admin.ok(201, 'POST', '/organisations', {
      id: 'web-newcomer',
      name: 'Newcomer trust',
      kind: 'local-authority',
      jurisdiction: 'GB-ENG',
      icoRegistration: 'Z9200001',
    });
    const { body } = await world.admin.ok(201, 'POST', '/organisations/web-newcomer/users', {
      name: 'Newcomer IG lead',
      email: 'ig@web-newcomer.example',
      role: 'ig-lead',
    });
    const context = await personContext(world);
    try {
      const page = await context.newPage();
      await page.goto('/app/sign-in');
      await page.getByLabel('API token').fill(String(body.token));
      await page.getByRole('button', { name: 'Sign in' }).click();
      const summary = page.locator('.govuk-error-summary');
      await summary.waitFor();
      const text = await summary.textContent();
      expect(text).toContain('accord me exchange-token');
      expect(text).not.toMatch(/POST \/users/);
    } finally {
      await context.close();
    }
  });
});

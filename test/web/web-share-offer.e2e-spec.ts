import type { BrowserContext, Page } from 'playwright-core';
import { encryptStream } from '@accord/crypto';
import { collect } from '../../apps/cli/src/demo/demo-client';
import { DEMO_AGREEMENT } from '../../apps/cli/src/demo/staffordshire-fixture';
import { SEED_PURPOSE } from './support/web-pages';
import { COUNCIL, personContext, POLICE, signIn, startWebWorld, type WebWorld } from './support/web-world';

const NARROWED = 'strategy discussions about a child at risk';
const TIER2_TITLE = 'Council and police strategy discussions';

/**
 * Issue 14 §4: the share page offers only what the agreement permits, in words a practitioner reads: its
 * lawful bases by name, not code; no party whose withdrawal has taken effect; a tier-2 purpose with the
 * parent purpose it narrows; and when the agreement changes, the choices it does not permit are dropped
 * and named, before the server would refuse them.
 */
describe('the share page offers what the agreement permits, in words', () => {
  let world: WebWorld;
  let council: { context: BrowserContext; page: Page };

  beforeAll(async () => {
    world = await startWebWorld('SHARE-OFFER-MARKER');
    // The Probation Service withdraws from the seed agreement, from now.
    await world.leads.probation!.client.ok(201, 'POST', `/agreements/${world.agreementId}/withdrawal`, {
      effectiveAt: new Date().toISOString(),
    });
    // A tier-2 agreement under it: council and police, two data categories, one purpose narrowing the seed's.
    const { body } = await world.leads[COUNCIL]!.client.ok(201, 'POST', '/agreements', {
      title: TIER2_TITLE,
      tier: 2,
      parentId: world.agreementId,
      category: 'Safer Community',
      leadOrg: COUNCIL,
      parties: [COUNCIL, POLICE],
      purposes: [SEED_PURPOSE, { text: NARROWED, narrows: SEED_PURPOSE }],
      lawfulBases: ['uk-gdpr-art6-1-e'],
      dataCategories: ['name', 'address'],
      retentionPeriod: 'P1Y',
    });
    for (const org of [COUNCIL, POLICE]) {
      await world.leads[org]!.client.ok(201, 'POST', `/agreements/${String(body.id)}/signatures`, {
        signatory: `Signatory for ${org}`,
        position: 'Caldicott Guardian',
      });
    }
    const context = await personContext(world);
    const page = await context.newPage();
    await signIn(page, world.councilPractitioner.client.token!);
    council = { context, page };
  });
  afterAll(async () => world?.close());

  const choose = async (page: Page, title: string) => {
    await page.getByLabel('Agreement', { exact: true }).selectOption({ label: title });
    // The Recipients group appears once this agreement's offer is applied to the form.
    await page.getByRole('group', { name: 'Recipients' }).waitFor();
  };
  const groups = (page: Page) => ({
    recipients: page.getByRole('group', { name: 'Recipients' }),
    purpose: page.getByRole('group', { name: 'Purpose' }),
    categories: page.getByRole('group', { name: 'Data categories' }),
  });

  it('names the lawful bases, data categories and retention in plain English, not by their codes', async () => {
    const { page } = council;
    await page.goto('/app/share');
    await choose(page, DEMO_AGREEMENT.title);
    for (const words of [
      'Legal obligation (UK GDPR Article 6(1)(c))',
      'Public task (UK GDPR Article 6(1)(e))',
      'Reasons of substantial public interest (UK GDPR Article 9(2)(g))',
      'Safeguarding of children and of individuals at risk (DPA 2018 Schedule 1 paragraph 18)',
    ])
      await page.getByRole('listitem').filter({ hasText: words }).waitFor();
    await groups(page).categories.getByLabel('Descriptions of abuse', { exact: true }).waitFor();
    await page.getByText('for 1 year at most').waitFor();
    const form = (await page.locator('form').textContent())!;
    expect(form).not.toMatch(/uk-gdpr-|dpa2018-|abuse-descriptions|P1Y/);
  });

  it('does not offer a party whose withdrawal has taken effect', async () => {
    const { page } = council;
    await page.goto('/app/share');
    await choose(page, DEMO_AGREEMENT.title);
    const { recipients } = groups(page);
    await recipients.getByLabel('CAFCASS', { exact: true }).waitFor();
    expect(await recipients.getByLabel('Probation Service', { exact: true }).count()).toBe(0);
  });

  it('shows which parent purpose a tier-2 purpose narrows', async () => {
    const { page } = council;
    await page.goto('/app/share');
    await choose(page, TIER2_TITLE);
    await groups(page).purpose.getByText(`Narrows the parent agreement’s purpose: ${SEED_PURPOSE}`).waitFor();
  });

  it('keeps the choices the next agreement permits, drops the rest and says which', async () => {
    const { page } = council;
    await page.goto('/app/share');
    await choose(page, DEMO_AGREEMENT.title);
    let g = groups(page);
    await g.recipients.getByLabel('Staffordshire Police', { exact: true }).check();
    await g.recipients.getByLabel('CAFCASS', { exact: true }).check();
    await g.purpose.getByLabel(SEED_PURPOSE, { exact: true }).check();
    await g.categories.getByLabel('Name', { exact: true }).check();
    await g.categories.getByLabel('Descriptions of abuse', { exact: true }).check();

    await choose(page, TIER2_TITLE);
    const notice = page.locator('#dropped-choices');
    await notice.waitFor();
    expect(await notice.textContent()).toMatch(
      /Recipients: CAFCASS[\s\S]*Data categories: Descriptions of abuse/,
    );
    expect(await notice.textContent()).not.toMatch(/Purpose:/);
    g = groups(page);
    expect(await g.recipients.getByLabel('Staffordshire Police', { exact: true }).isChecked()).toBe(true);
    expect(await g.recipients.getByLabel('CAFCASS', { exact: true }).count()).toBe(0);
    expect(await g.purpose.getByLabel(SEED_PURPOSE, { exact: true }).isChecked()).toBe(true);
    expect(await g.categories.getByLabel('Name', { exact: true }).isChecked()).toBe(true);
    expect(await g.categories.getByLabel('Address', { exact: true }).isChecked()).toBe(false);
    expect(await g.categories.getByLabel('Descriptions of abuse', { exact: true }).count()).toBe(0);

    // Back to the parent: the narrowed purpose is not one of its own, so it goes, in words.
    await g.purpose.getByLabel(NARROWED, { exact: true }).check();
    await choose(page, DEMO_AGREEMENT.title);
    await notice.filter({ hasText: `Purpose: ${NARROWED}` }).waitFor();
    g = groups(page);
    expect(await g.recipients.getByLabel('Staffordshire Police', { exact: true }).isChecked()).toBe(true);
    expect(await g.purpose.locator('input:checked').count()).toBe(0);
  });

  /**
   * Holds the api's answer for the agreement's detail until `release` is called, so a test can look at the
   * page while that load is outstanding, every other load done.
   */
  async function holdAgreement(page: Page, agreementId: string): Promise<() => void> {
    let release!: () => void;
    const held = new Promise<void>((resolve) => (release = resolve));
    await page.route(`**/agreements/${agreementId}`, async (route) => {
      await held;
      await route.continue();
    });
    return release;
  }

  it('offers no Share button while the chosen agreement is still being read', async () => {
    const { page } = council;
    const release = await holdAgreement(page, world.agreementId);
    try {
      await page.goto('/app/share');
      // The stored keys were read (this browser holds none), so only the agreement is outstanding.
      await page.getByText('There is no key of your organisation in this browser').waitFor();
      await page.getByLabel('Agreement', { exact: true }).selectOption({ label: DEMO_AGREEMENT.title });
      await page.getByText('Loading…').first().waitFor();
      expect(await page.getByRole('button', { name: 'Share' }).count()).toBe(0);
      release();
      await page.getByRole('button', { name: 'Share' }).waitFor();
    } finally {
      release();
      await page.unrouteAll();
    }
  });

  it('offers no Open button until the agreement says whether the purpose of the open is asked', async () => {
    const { page } = council;
    const ciphertext = await collect(
      await encryptStream(Buffer.from('A synthetic referral.'), {
        encryptionKeys: [world.keys[POLICE]!.publicKey, world.keys[COUNCIL]!.publicKey],
      }),
    );
    const title = 'Referral awaiting its agreement';
    const shared = await world.councilPractitioner.client.share(
      {
        agreementId: world.agreementId,
        recipients: [POLICE],
        purpose: SEED_PURPOSE,
        dataCategories: ['name'],
        nature: 'fact',
        title,
      },
      ciphertext,
    );
    expect(shared.status).toBe(201);
    const release = await holdAgreement(page, world.agreementId);
    try {
      await page.goto(`/app/documents/${String(shared.body.documentId)}`);
      await page.getByRole('heading', { level: 1, name: title }).waitFor();
      await page.getByText('There is no key of your organisation in this browser').waitFor();
      expect(await page.getByRole('button', { name: 'Open' }).count()).toBe(0);
      release();
      await page.getByRole('button', { name: 'Open' }).waitFor();
    } finally {
      release();
      await page.unrouteAll();
    }
  });
});

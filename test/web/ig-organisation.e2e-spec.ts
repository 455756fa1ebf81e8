import { randomUUID } from 'node:crypto';
import type { Browser } from 'playwright-core';
import { makeTestKey } from '../../libs/crypto/src/testing/test-keys';
import { axe, AxeResult, axeTable, follow, launchChromium, loaded, signedIn } from './support/ig-browser';
import { DemoClient, pollFor } from '../../apps/cli/src/demo/demo-client';
import { buildIgWorld, IgWorld, shareCaseNote } from './support/ig-world';

/**
 * The organisation's own settings in the browser (docs/architecture.md §36): teams and their members, the
 * organisation's public keys (added and retired), the webhook, and the incident pages; each page passes axe.
 */
describe('IG lead pages: teams, keys, webhook and incidents in the browser', () => {
  let world: IgWorld;
  let browser: Browser;
  const axeResults: AxeResult[] = [];

  beforeAll(async () => {
    world = await buildIgWorld('web-ig-organisation');
    browser = await launchChromium();
  });
  afterAll(async () => {
    console.log(`axe, organisation pages:\n${axeTable(axeResults)}`);
    await browser?.close();
    await world?.close();
  });

  it('a team is created, given a member and made the default receiving team', async () => {
    const { page, context } = await signedIn(browser, world.url, world.council.lead.token);
    await page.goto('/app/teams');
    await loaded(page);
    axeResults.push(await axe(page, 'Teams and members (no teams)'));
    await page.getByRole('button', { name: 'Create team' }).click();
    await page.locator('#name-error').waitFor();
    expect(await page.locator('#name-error').innerText()).toMatch(/Error:\s*\S/);
    await page.getByLabel('Team name').fill('Multi-agency safeguarding hub');
    await page.getByRole('button', { name: 'Create team' }).click();
    await page.getByText('Team ‘Multi-agency safeguarding hub’ created').waitFor();
    axeResults.push(await axe(page, 'Teams and members'));

    await follow(page, page.getByRole('link', { name: 'Multi-agency safeguarding hub' }));
    axeResults.push(await axe(page, 'Team (no members)'));
    await page
      .getByLabel('Person')
      .selectOption({ label: 'Staffordshire County Council practitioner (Practitioner)' });
    await page.getByRole('button', { name: 'Add to team' }).click();
    await page.getByText('Staffordshire County Council practitioner added').waitFor();
    // The message comes before the team is read again: the member's row is the proof that it was.
    await page
      .getByRole('table', { name: 'Members of Multi-agency safeguarding hub' })
      .getByRole('cell', { name: 'Staffordshire County Council practitioner', exact: true })
      .waitFor();
    await page.getByRole('button', { name: 'Make this the default team' }).click();
    await page.getByText('Multi-agency safeguarding hub is now the default team').waitFor();
    axeResults.push(await axe(page, 'Team (default, one member)'));

    const teams = (await world.council.lead.client.ok('GET', `/organisations/${world.council.id}/teams`, 200))
      .body;
    expect(teams.items).toEqual([
      expect.objectContaining({
        name: 'Multi-agency safeguarding hub',
        default: true,
        members: [world.council.practitioner.userId],
      }),
    ]);
    for (const a of axeResults) expect(a.seriousOrCritical).toEqual([]);
    await context.close();
  });

  it('a public key made elsewhere is added from the page and retired with a reason', async () => {
    const key = await makeTestKey({ name: 'Staffordshire County Council', type: 'curve25519' });
    const fingerprint = key.publicKey.getFingerprint();
    const { page, context } = await signedIn(browser, world.url, world.council.lead.token);
    await page.goto('/app/organisation-keys');
    await loaded(page);
    axeResults.push(await axe(page, 'Organisation keys (none)'));
    expect(
      await page.getByRole('link', { name: 'Generate or import a key in this browser' }).getAttribute('href'),
    ).toBe('/app/keys');

    await page.getByLabel('Public key').fill('not a key');
    await page.getByRole('button', { name: 'Add key' }).click();
    await page.locator('#publicKey-error').waitFor();
    expect(await page.locator('#publicKey-error').innerText()).toMatch(/Error:\s*\S/);
    axeResults.push(await axe(page, 'Organisation keys (with a refusal)'));

    await page.getByLabel('Public key').fill(key.armoredPublic);
    await page.getByRole('button', { name: 'Add key' }).click();
    await page.getByRole('cell', { name: /Active/ }).waitFor();
    const grouped = fingerprint
      .toUpperCase()
      .replace(/(.{4})/g, '$1 ')
      .trim();
    expect(await page.getByRole('table').innerText()).toContain(grouped);
    axeResults.push(await axe(page, 'Organisation keys'));

    await follow(page, page.getByRole('link', { name: `Retire key ${grouped}` }));
    axeResults.push(await axe(page, 'Retire a key'));
    await page.getByLabel('Why is it being retired?').fill('key rotation');
    await page.getByRole('button', { name: 'Retire key' }).click();
    await page.getByText('Key retired').waitFor();
    await loaded(page);
    await page.getByRole('cell', { name: /Retired/ }).waitFor();
    const keys = (await world.council.lead.client.ok('GET', `/organisations/${world.council.id}/keys`, 200))
      .body;
    expect(keys.items).toEqual([expect.objectContaining({ fingerprint, status: 'revoked' })]);
    for (const a of axeResults) expect(a.seriousOrCritical).toEqual([]);
    await context.close();
  });

  it('the webhook refuses a plain-http address next to its field, is saved with its secret shown once, and removed; the incident pages pass axe', async () => {
    const { page, context } = await signedIn(browser, world.url, world.council.lead.token);
    await page.goto('/app/webhook');
    await loaded(page);
    await page.getByText('No webhook is set up.').waitFor();
    axeResults.push(await axe(page, 'Webhook (none)'));
    await page.getByLabel('Address').fill('http://hooks.example.org/accord');
    await page.getByRole('button', { name: 'Save webhook' }).click();
    await page.locator('#url-error').waitFor();
    expect(await page.locator('#url-error').innerText()).toMatch(/Error:\s*\S.*https/i);
    axeResults.push(await axe(page, 'Webhook (with a refusal)'));

    // Saved: the signing secret is shown this once, then only its id; removal leaves no webhook.
    await page.getByLabel('Address').fill('https://hooks.example.org/accord');
    await page.getByRole('button', { name: 'Save webhook' }).click();
    await page.getByRole('heading', { name: 'Webhook saved' }).waitFor();
    expect(await page.locator('#webhook-secret').innerText()).toMatch(/\S{16,}/);
    // The panel comes before the webhook is read again: its address in the summary is the proof it was.
    const saved = page.locator('.govuk-summary-list').getByText('https://hooks.example.org/accord');
    await saved.waitFor();
    axeResults.push(await axe(page, 'Webhook (saved, secret shown once)'));
    await page.reload();
    await loaded(page);
    await saved.waitFor();
    expect(await page.locator('#webhook-secret').count()).toBe(0);
    await page.getByRole('button', { name: 'Remove webhook' }).click();
    await page.getByText('Webhook removed').waitFor();
    // Shown at once; the page then reads the webhook again, and only that answer says there is none.
    await page.getByText('No webhook is set up.').waitFor();

    await page.goto('/app/incidents');
    await loaded(page);
    await page.getByText('No incidents have been detected.').waitFor();
    axeResults.push(await axe(page, 'Security incidents (none)'));
    const unknown = randomUUID();
    await page.goto(`/app/incidents/${unknown}`);
    await loaded(page);
    axeResults.push(await axe(page, 'Security incident (not found)'));
    await page.goto(`/app/incidents/${unknown}/dismiss`);
    await loaded(page);
    await page.getByLabel('Why is it harmless?').fill('A test');
    await page.getByRole('button', { name: 'Dismiss incident' }).click();
    await page.locator('#reason-error').waitFor();
    axeResults.push(await axe(page, 'Dismiss an incident (refused: not found)'));
    await page.goto(`/app/incidents/${unknown}/promote`);
    await loaded(page);
    axeResults.push(await axe(page, 'Report an incident as a breach'));
    for (const a of axeResults) expect(a.seriousOrCritical).toEqual([]);
    await context.close();
  });

  it('an incident the detector raised is reported as a breach from its page, which then shows the ICO clock', async () => {
    const note = await shareCaseNote(world, { scheme: 'local-ref', value: 'CASE-4711' });
    // An open stated (by a trusted proxy: loopback, the default) to come from France is refused and detected.
    const abroad = await new DemoClient(world.url, world.police.practitioner.token).content(note.documentId, {
      'x-client-country': 'FR',
    });
    expect(abroad.status).toBe(403);
    const detected = await pollFor(
      async () => {
        const list = await world.police.lead.client.ok('GET', '/incidents?kind=non-uk-access', 200);
        return (list.body.items as { id: string }[])[0];
      },
      { timeoutMs: 60_000 },
    );
    expect(detected).toBeDefined();

    const { page, context } = await signedIn(browser, world.url, world.police.lead.token);
    await page.goto('/app/incidents');
    await loaded(page);
    axeResults.push(await axe(page, 'Security incidents'));
    await follow(page, page.getByRole('link', { name: 'Access from outside the UK' }));
    expect(await page.locator('.govuk-tag').first().innerText()).toBe('Open');
    axeResults.push(await axe(page, 'Security incident (open)'));
    await follow(page, page.getByRole('link', { name: 'Report it as a breach' }));
    await page
      .getByRole('group', { name: /leave your organisation/ })
      .getByLabel('No, it is a near miss')
      .check();
    await page
      .getByRole('group', { name: /Agreement involved/ })
      .getByLabel('Case notes between council and police')
      .check();
    await page.getByRole('button', { name: 'Report as a breach' }).click();
    await page.getByRole('heading', { level: 2, name: 'ICO 72-hour deadline' }).waitFor();
    expect(await page.getByRole('alert').first().innerText()).toMatch(/Incident reported as a breach/);
    await page.goto(`/app/incidents/${detected!.id}`);
    await loaded(page);
    expect(await page.locator('.govuk-tag').first().innerText()).toBe('Reported as a breach');
    await page.getByRole('link', { name: 'View the breach report' }).waitFor();
    axeResults.push(await axe(page, 'Security incident (reported as a breach)'));
    for (const a of axeResults) expect(a.seriousOrCritical).toEqual([]);
    await context.close();
  });
});

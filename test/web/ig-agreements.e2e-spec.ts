import type { Browser } from 'playwright-core';
import {
  axe,
  AxeResult,
  axeTable,
  follow,
  launchChromium,
  loaded,
  signedIn,
  tabTo,
} from './support/ig-browser';
import { buildIgWorld, IgWorld } from './support/ig-world';

/**
 * An agreement made in the browser (docs/architecture.md §36): the council's IG lead drafts it from the form,
 * meets the Article 9 rule as a refusal next to its field, signs; the police's IG lead signs it in another
 * browser context, and both then see it in force. The drafting form is also filled with the keyboard alone.
 */
describe('IG lead pages: agreements in the browser', () => {
  let world: IgWorld;
  let browser: Browser;
  const axeResults: AxeResult[] = [];

  beforeAll(async () => {
    world = await buildIgWorld('web-ig-agreements');
    browser = await launchChromium();
  });
  afterAll(async () => {
    console.log(`axe, agreement pages:\n${axeTable(axeResults)}`);
    await browser?.close();
    await world?.close();
  });

  it('drafted by one IG lead and signed by the partner in another browser, it shows as in force', async () => {
    const council = await signedIn(browser, world.url, world.council.lead.token);
    const page = council.page;
    await page.goto('/app/agreements');
    await loaded(page);
    axeResults.push(await axe(page, 'Agreements (list, empty)'));
    await follow(page, page.getByRole('button', { name: 'Draft an agreement' }));
    axeResults.push(await axe(page, 'Draft an agreement'));

    await page.getByLabel('Title', { exact: true }).fill('Safeguarding children: council and police');
    await page.getByLabel('Category', { exact: true }).fill('Safer Community');
    await page
      .getByLabel('Purposes', { exact: true })
      .fill('Protecting children from maltreatment\nJoint strategy discussions');
    await page.getByRole('group', { name: 'Parties' }).getByLabel(world.police.name).check();
    await page.getByRole('group', { name: 'UK GDPR Article 6' }).getByLabel('Public task').check();
    await page.getByRole('group', { name: 'Data categories' }).getByLabel('Name', { exact: true }).check();
    await page.getByRole('group', { name: 'Data categories' }).getByLabel('Health').check();
    await page.getByLabel('Retention period in years').fill('6');
    await page.getByRole('button', { name: 'Draft agreement' }).click();

    // Health is special category data: the api refuses without an Article 9 condition, and the page puts
    // its words next to the Article 9 checkboxes and in the summary at the top.
    const art9 = page.getByRole('group', { name: /UK GDPR Article 9/ });
    await art9.locator('.govuk-error-message').waitFor();
    expect(await art9.locator('.govuk-error-message').innerText()).toMatch(/Error:\s*\S.*article 9/i);
    await expect(page.title()).resolves.toMatch(/^Error: Draft an agreement/);
    const summary = page.locator('.govuk-error-summary');
    expect(await summary.getByRole('link').first().getAttribute('href')).toBe('#lawfulBases-art9');
    axeResults.push(await axe(page, 'Draft an agreement (with a refusal)'));

    await art9.getByLabel('Health or social care').check();
    await page
      .getByRole('group', { name: /Schedule 1/ })
      .getByLabel('Health or social care purposes')
      .check();
    await page.getByRole('button', { name: 'Draft agreement' }).click();
    await page
      .getByRole('heading', { level: 1, name: 'Safeguarding children: council and police' })
      .waitFor();
    await loaded(page);
    expect(await page.getByRole('alert').innerText()).toMatch(/Agreement drafted/);
    expect(await page.locator('.govuk-tag').first().innerText()).toMatch(/awaiting signatures/i);
    axeResults.push(await axe(page, 'Agreement (draft)'));
    const agreementPath = new URL(page.url()).pathname;

    await follow(page, page.getByRole('link', { name: 'Sign version 1' }).first());
    axeResults.push(await axe(page, 'Sign an agreement'));
    await page.getByLabel('Name of the person signing').fill('Pat Director');
    await page.getByLabel('Their position').fill("Director of Children's Services");
    await page.getByRole('button', { name: 'Sign agreement' }).click();
    await page.getByText('Agreement signed').waitFor();
    expect(await page.locator('.govuk-tag').first().innerText()).toMatch(/awaiting signatures/i);

    // The partner's IG lead, in a browser context of their own (their own session cookie).
    const police = await signedIn(browser, world.url, world.police.lead.token);
    await police.page.goto('/app/agreements');
    await loaded(police.page);
    axeResults.push(await axe(police.page, 'Agreements (list)'));
    await follow(
      police.page,
      police.page.getByRole('link', { name: 'Safeguarding children: council and police' }),
    );
    expect(new URL(police.page.url()).pathname).toBe(agreementPath);
    await follow(police.page, police.page.getByRole('link', { name: 'Sign version 1' }).first());
    await police.page.getByLabel('Name of the person signing').fill('Sam Chief Constable');
    await police.page.getByLabel('Their position').fill('Chief Constable');
    await police.page.getByRole('button', { name: 'Sign agreement' }).click();
    await police.page.getByText('Agreement signed').waitFor();
    expect(await police.page.locator('.govuk-tag').first().innerText()).toBe('In force');

    await page.goto(agreementPath);
    await loaded(page);
    expect(await page.locator('.govuk-tag').first().innerText()).toBe('In force');
    const signatures = page.getByRole('table').filter({ hasText: 'Signed by' });
    expect(await signatures.innerText()).toMatch(/Pat Director, Director of Children's Services/);
    expect(await signatures.innerText()).toMatch(/Sam Chief Constable, Chief Constable/);
    axeResults.push(await axe(page, 'Agreement (in force)'));
    for (const a of axeResults) expect(a.seriousOrCritical).toEqual([]);
    await council.context.close();
    await police.context.close();
  });

  it('the pages that act on an agreement in force are reachable from it; an amendment awaits signatures', async () => {
    const council = await signedIn(browser, world.url, world.council.lead.token);
    const police = await signedIn(browser, world.url, world.police.lead.token);
    const page = council.page;
    await page.goto('/app/agreements');
    await loaded(page);
    await follow(page, page.getByRole('link', { name: 'Safeguarding children: council and police' }));
    const agreementPath = new URL(page.url()).pathname;

    // The pages that act on an agreement in force: each is reachable from it and passes axe.
    for (const [link, name] of [
      ['Propose an amendment', 'Propose an amendment'],
      ['Record a review', 'Record a review'],
      ['Terminate the agreement', 'Terminate the agreement'],
    ] as const) {
      await page.goto(agreementPath);
      await loaded(page);
      await follow(page, page.getByRole('link', { name: link }));
      expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe(name);
      axeResults.push(await axe(page, name));
    }
    await police.page.goto(agreementPath);
    await loaded(police.page);
    await follow(police.page, police.page.getByRole('link', { name: 'Withdraw your organisation' }));
    axeResults.push(await axe(police.page, 'Withdraw your organisation'));

    // An amendment from the form: the new version awaits signatures while version 1 stays in force.
    await page.goto(`${agreementPath}/amend`);
    await loaded(page);
    await page.getByLabel('Review every (months)').fill('6');
    await page.getByLabel('Reason for the change').fill('Reviews every six months while the pilot runs');
    await page.getByRole('button', { name: 'Propose amendment' }).click();
    await page.getByText('Version 2 proposed').waitFor();
    expect(await page.getByRole('table').filter({ hasText: 'Reason for change' }).innerText()).toMatch(
      /Reviews every six months/,
    );
    expect(await page.locator('.govuk-tag').first().innerText()).toBe('In force');

    for (const a of axeResults) expect(a.seriousOrCritical).toEqual([]);
    await council.context.close();
    await police.context.close();
  });

  it('the drafting form can be filled and sent with the keyboard alone', async () => {
    const { page, context } = await signedIn(browser, world.url, world.council.lead.token);
    await page.goto('/app/agreements/new');
    await loaded(page);
    await tabTo(page, 'Title');
    await page.keyboard.type('Keyboard-only agreement');
    await tabTo(page, 'Category');
    await page.keyboard.type('Safer Community');
    await tabTo(page, 'Purposes');
    await page.keyboard.type('Protecting children from maltreatment');
    await tabTo(page, world.police.name, 'Parties');
    await page.keyboard.press('Space');
    await tabTo(page, 'Public task', 'UK GDPR Article 6');
    await page.keyboard.press('Space');
    await tabTo(page, 'Name', 'Data categories');
    await page.keyboard.press('Space');
    await tabTo(page, 'Retention period in years');
    await page.keyboard.type('6');
    await page.keyboard.press('Enter');
    await page.getByRole('heading', { level: 1, name: 'Keyboard-only agreement' }).waitFor();
    await loaded(page);
    expect(await page.getByRole('alert').innerText()).toMatch(/Agreement drafted/);
    const terms = await page.locator('.govuk-summary-list').first().innerText();
    expect(terms).toMatch(/Public task \(uk-gdpr-art6-1-e\)/);
    expect(terms).toContain(world.police.name);
    await context.close();
  });
});

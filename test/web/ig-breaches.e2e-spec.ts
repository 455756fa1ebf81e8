import type { Browser, Page } from 'playwright-core';
import { axe, AxeResult, axeTable, follow, launchChromium, loaded, signedIn } from './support/ig-browser';
import { buildIgWorld, IgWorld, shareCaseNote } from './support/ig-world';

/** "6 December 2026 at 2:05pm", UK time: how the pages write an instant (GOV.UK style). */
function inWords(iso: string): string {
  const d = new Date(iso);
  const date = d.toLocaleDateString('en-GB', {
    day: 'numeric',
    month: 'long',
    year: 'numeric',
    timeZone: 'Europe/London',
  });
  const time = d
    .toLocaleTimeString('en-GB', {
      hour: 'numeric',
      minute: '2-digit',
      hourCycle: 'h12',
      timeZone: 'Europe/London',
    })
    .replace(' ', '')
    .toLowerCase();
  return `${date} at ${time}`;
}

/** The value a datetime-local input takes for an instant, in the browser's (this machine's) time zone. */
function localInput(d: Date): string {
  const pad = (n: number) => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}`;
}

const errorOf = (page: Page, id: string) => page.locator(`#${id}-error`);

/**
 * Breach reports and subject requests in the browser (docs/architecture.md §36): a breach reported from the
 * form shows the ICO's 72-hour deadline, goes through assessment, ICO and subject notification to closure,
 * its timeline growing at each step; a subject access request is started and its report shown; refusals
 * appear in words next to the field they concern.
 */
describe('IG lead pages: breaches and subject requests in the browser', () => {
  let world: IgWorld;
  let browser: Browser;
  const axeResults: AxeResult[] = [];

  beforeAll(async () => {
    world = await buildIgWorld('web-ig-breaches');
    browser = await launchChromium();
  });
  afterAll(async () => {
    console.log(`axe, breach and subject request pages:\n${axeTable(axeResults)}`);
    await browser?.close();
    await world?.close();
  });

  it('a breach reported in the browser shows the ICO deadline, and each step joins its timeline', async () => {
    const { page, context } = await signedIn(browser, world.url, world.council.lead.token);
    await page.goto('/app/breaches');
    await loaded(page);
    axeResults.push(await axe(page, 'Breach reports (empty)'));
    await follow(page, page.getByRole('button', { name: 'Report a breach' }));
    axeResults.push(await axe(page, 'Report a breach'));

    // Sent with the required choices left unmade: the api's refusals land on those fields, in words.
    await page.getByRole('button', { name: 'Report breach' }).click();
    await errorOf(page, 'severity').waitFor();
    expect(await errorOf(page, 'severity').innerText()).toMatch(/Error:\s*Severity must be one of/i);
    expect(await errorOf(page, 'nearMiss').innerText()).toMatch(/Error:\s*\S/);
    axeResults.push(await axe(page, 'Report a breach (with refusals)'));

    // Minutes only: the form takes a time to the minute, as the person typed it.
    const discovered = new Date(Math.floor((Date.now() - 2 * 3_600_000) / 60_000) * 60_000);
    await page.getByLabel('When was it discovered?').fill(localInput(discovered));
    // Typed with a right-to-left override, which the page must show rather than obey.
    await page.getByLabel('What happened?').fill('A referral was emailed to the wrong school.\u202E(sent)');
    await page
      .getByRole('group', { name: /leave your organisation/ })
      .getByLabel('Yes, it is a breach')
      .check();
    await page.getByRole('group', { name: 'How serious is it?' }).getByLabel('High').check();
    await page
      .getByRole('group', { name: /Kinds of information/ })
      .getByLabel('Health')
      .check();
    await page.getByLabel(/how many people/).fill('1');
    await page.getByRole('button', { name: 'Report breach' }).click();
    await page.getByRole('heading', { level: 2, name: 'ICO 72-hour deadline' }).waitFor();
    await loaded(page);
    const deadline = inWords(new Date(discovered.getTime() + 72 * 3_600_000).toISOString());
    const clock = page.locator('#ico-clock');
    expect(await clock.innerText()).toContain(`Deadline: ${deadline}`);
    expect(await clock.innerText()).toMatch(/Not assessed/);
    expect(await clock.innerText()).toMatch(/2 days 22 hours left|2 days 21 hours left/);
    expect(await page.locator('#timeline').innerText()).toMatch(/Discovered[\s\S]*Reported/);
    const main = await page.locator('main').innerText();
    expect(main).toContain('the wrong school.[U+202E](sent)');
    expect(main).not.toContain('\u202E');
    axeResults.push(await axe(page, 'Breach report (reported)'));
    const breachPath = new URL(page.url()).pathname;

    await follow(page, page.getByRole('link', { name: 'Assess whether the ICO must be told' }));
    axeResults.push(await axe(page, 'Assess a breach'));
    await page.getByRole('group', { name: 'Must the ICO be told?' }).getByLabel('Yes').check();
    await page.getByLabel('Why?').fill('Health data about a child reached a third party.');
    await page.getByRole('button', { name: 'Record assessment' }).click();
    await page.getByText('Assessment recorded').waitFor();
    expect(await clock.innerText()).toContain(`Tell the ICO by ${deadline}`);
    expect(await clock.innerText()).toMatch(/ICO to be told/);

    await follow(page, page.getByRole('link', { name: 'Record that the ICO was told' }));
    axeResults.push(await axe(page, 'Record ICO notification'));
    await page.getByRole('button', { name: 'Record ICO notification' }).click();
    await errorOf(page, 'reference').waitFor();
    expect(await errorOf(page, 'reference').innerText()).toMatch(/Error:\s*\S/);
    await page.getByLabel("The ICO's case reference").fill('ICO-00123');
    await page.getByRole('button', { name: 'Record ICO notification' }).click();
    await page.getByText('ICO notification recorded').waitFor();
    expect(await clock.innerText()).toMatch(/ICO told[\s\S]*reference ICO-00123/);

    await follow(page, page.getByRole('link', { name: 'Record that the people affected were told' }));
    axeResults.push(await axe(page, 'Record subject notification'));
    await page.getByRole('button', { name: 'Record that they were told' }).click();
    await page.getByText('Recorded that the people affected were told').waitFor();

    await follow(page, page.getByRole('link', { name: 'Close the breach' }));
    axeResults.push(await axe(page, 'Close a breach'));
    await page.getByLabel('Outcome').fill('The school deleted the email and confirmed it in writing.');
    await page.getByLabel('Lessons learned').fill('Addresses are checked by a second person before sending.');
    await page.getByRole('button', { name: 'Close breach' }).click();
    await page.getByText('Breach closed').waitFor();
    expect(new URL(page.url()).pathname).toBe(breachPath);
    const timeline = await page.locator('#timeline').innerText();
    expect(timeline).toMatch(
      /Discovered[\s\S]*Reported[\s\S]*Assessed: the ICO must be told[\s\S]*ICO told[\s\S]*People affected told[\s\S]*Closed/,
    );
    axeResults.push(await axe(page, 'Breach report (closed)'));

    await page.goto('/app/breaches');
    await loaded(page);
    expect(await page.getByRole('table').innerText()).toMatch(/ICO told[\s\S]*Closed/);
    axeResults.push(await axe(page, 'Breach reports (list)'));

    for (const a of axeResults) expect(a.seriousOrCritical).toEqual([]);
    await context.close();
  });

  it('a subject access request is started in the browser and its report shown; a bad NHS number is refused at its field', async () => {
    const note = await shareCaseNote(world, { scheme: 'nhs-number', value: '9434765919' });
    const { page, context } = await signedIn(browser, world.url, world.council.lead.token);
    await page.goto('/app/subject-requests');
    await loaded(page);
    axeResults.push(await axe(page, 'Subject requests'));

    await page.getByRole('group', { name: 'What is the person asking for?' }).getByLabel('Access').check();
    await page.getByRole('group', { name: 'How is the person identified?' }).getByLabel('NHS number').check();
    await page.getByLabel('Their NHS number').fill('123 456 7890');
    await page.getByLabel('Details of the request').fill('Letter of 3 May asking for everything held.');
    await page.getByRole('button', { name: 'Start request' }).click();
    await errorOf(page, 'value').waitFor();
    expect(await errorOf(page, 'value').innerText()).toMatch(/Error:\s*\S.*NHS number/i);
    expect(await page.locator('.govuk-error-summary').getByRole('link').first().getAttribute('href')).toBe(
      '#value',
    );
    axeResults.push(await axe(page, 'Subject requests (with a refusal)'));

    await page.getByLabel('Their NHS number').fill('943 476 5919');
    await page.getByRole('button', { name: 'Start request' }).click();
    await page.getByText(/Request started/).waitFor();
    await loaded(page);
    // Access requests complete in the background: the page offers to check again until the report is ready.
    // Each round waits for one of the two answers a loaded page gives, never for a count taken mid-load.
    const ready = page.locator('.govuk-tag', { hasText: /^Report ready$/ });
    const again = page.getByRole('button', { name: 'Check again' });
    for (let i = 0; i < 50; i += 1) {
      await ready.or(again).first().waitFor();
      if ((await ready.count()) > 0) break;
      await again.click();
      await page.waitForLoadState('networkidle');
    }
    await ready.first().waitFor();
    axeResults.push(await axe(page, 'Subject request'));
    const requestPath = new URL(page.url()).pathname;

    await follow(page, page.getByRole('link', { name: 'View the access report' }));
    expect(await page.getByRole('heading', { level: 1 }).innerText()).toBe('Access report');
    expect(await page.getByRole('heading', { level: 2 }).first().innerText()).toBe('1 document');
    const card = page.locator('.govuk-summary-card').filter({ hasText: note.title });
    expect(await card.innerText()).toMatch(
      /Sent by your organisation[\s\S]*protecting children from maltreatment/,
    );
    expect(await card.innerText()).toContain('Case notes between council and police (version 1)');
    expect(await card.innerText()).toContain(world.police.id);
    axeResults.push(await axe(page, 'Access report'));

    // Followed later by its reference, from the start page.
    const reference = requestPath.split('/').pop()!;
    await page.goto('/app/subject-requests');
    await loaded(page);
    await page.getByLabel('Request reference').fill(reference);
    await page.getByRole('button', { name: 'Find request' }).click();
    await page.waitForURL((u) => u.pathname === requestPath);
    await loaded(page);
    expect(await page.locator('.govuk-summary-list').innerText()).toContain(reference);

    for (const a of axeResults) expect(a.seriousOrCritical).toEqual([]);
    await context.close();
  });
});

import { pageCsp } from '@accord/platform';
import { renderGovukPage } from '../web/govuk-page';
import { escapeHtml } from '../web/html-escape';
import type { RegisterDto, RegisterEntryDto } from './register.dto';

/**
 * The register as a page for people, on the GOV.UK Design System's styles (served from this origin at
 * /assets/govuk): server-rendered, no script, and one small inline stylesheet of its own pinned by hash in
 * the Content-Security-Policy. Accessibility (WCAG 2.2 AA): lang, a title, one h1 and an h2 per category,
 * tables with a caption and scoped headers, a skip link, GOV.UK's focus styles, and the overdue flag is a
 * word ("Review overdue"), not a colour alone. Every value is escaped: titles and purposes are typed by
 * partners.
 */
const STYLE = `
.accord-brand{font-weight:700;font-size:1.875rem;line-height:1.2}
.table-wrap{overflow-x:auto}
.table-wrap table{min-width:48rem}
.meta{display:block;font-weight:400;color:#505a5f}
.review{min-width:11rem}
td ul,th ul{margin:0;padding-left:1.1rem}
.badge{margin-top:.35rem}
.notice{display:block;margin-top:.35rem;font-weight:700}
`;

/** For the Content-Security-Policy: GOV.UK's stylesheet and fonts from this origin, and this page's own style. */
export const REGISTER_CSP = pageCsp([STYLE], "'none'", { sameOriginAssets: true });

export { escapeHtml };

const LONG_DATE = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  timeZone: 'UTC',
});

function date(iso: string): string {
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return escapeHtml(iso);
  return `<time datetime="${escapeHtml(iso.slice(0, 10))}">${escapeHtml(LONG_DATE.format(d))}</time>`;
}

const plural = (n: number, one: string, many: string) => `${n} ${n === 1 ? one : many}`;

function list(items: readonly string[]): string {
  if (items.length === 0) return '<span class="meta">None</span>';
  return `<ul>${items.map((i) => `<li>${escapeHtml(i)}</li>`).join('')}</ul>`;
}

function review(entry: RegisterEntryDto): string {
  const due = entry.reviewDue ? `Due ${date(entry.reviewDue)}` : 'Not scheduled';
  const overdue = entry.reviewOverdue
    ? '<br><strong class="govuk-tag govuk-tag--red badge">Review overdue</strong>'
    : '';
  const ends = entry.endsOn ? `<span class="notice">Notice given: ends ${date(entry.endsOn)}</span>` : '';
  return `${due}${overdue}${ends}`;
}

/** Legal gateways, DPIA reference and data-protection contacts (docs/architecture.md §28). */
function particulars(entry: RegisterEntryDto): string {
  const parts: string[] = [];
  if (entry.legalGateways.length > 0) {
    parts.push(`<span class="meta">Legal gateways:</span>${list(entry.legalGateways.map((g) => g.label))}`);
  }
  if (entry.dpiaReference) parts.push(`<span class="meta">DPIA: ${escapeHtml(entry.dpiaReference)}</span>`);
  if (entry.dataProtectionContacts.length > 0) {
    const contacts = entry.dataProtectionContacts.map(
      (c) =>
        `<li>${escapeHtml(c.name)} (${escapeHtml(c.orgId)}): <a href="mailto:${escapeHtml(c.email)}">${escapeHtml(c.email)}</a></li>`,
    );
    parts.push(`<span class="meta">Data-protection contacts:</span><ul>${contacts.join('')}</ul>`);
  }
  return parts.join('');
}

function row(entry: RegisterEntryDto): string {
  const tier = entry.tier === 2 ? 'Operational (tier 2)' : 'Strategic (tier 1)';
  const version = entry.versionLabel ? escapeHtml(entry.versionLabel) : String(entry.version);
  return [
    '<tr class="govuk-table__row">',
    `<th scope="row" class="govuk-table__header">${escapeHtml(entry.title)}<span class="meta">${tier}, version ${version}</span>${particulars(entry)}</th>`,
    `<td class="govuk-table__cell">${list(entry.purposes)}</td>`,
    `<td class="govuk-table__cell">${escapeHtml(entry.leadOrganisation.name)}</td>`,
    `<td class="govuk-table__cell">${list(entry.otherOrganisations.map((o) => o.name))}</td>`,
    `<td class="govuk-table__cell review">${review(entry)}</td>`,
    '</tr>',
  ].join('');
}

export function renderRegisterHtml(view: RegisterDto): string {
  const sections = view.categories.map((c, i) => {
    const id = `category-${i + 1}`;
    return [
      `<section aria-labelledby="${id}">`,
      `<h2 class="govuk-heading-l" id="${id}">${escapeHtml(c.category)}</h2>`,
      `<div class="table-wrap" role="region" aria-labelledby="${id}" tabindex="0">`,
      '<table class="govuk-table">',
      `<caption class="govuk-table__caption govuk-table__caption--s">${escapeHtml(c.category)}: ${plural(c.agreements.length, 'agreement', 'agreements')} in force</caption>`,
      '<thead class="govuk-table__head"><tr class="govuk-table__row">',
      ['Agreement', 'Purposes', 'Lead organisation', 'Other organisations', 'Review']
        .map((h) => `<th scope="col" class="govuk-table__header">${h}</th>`)
        .join(''),
      '</tr></thead>',
      `<tbody class="govuk-table__body">${c.agreements.map(row).join('')}</tbody>`,
      '</table></div></section>',
    ].join('\n');
  });
  const contents =
    view.categories.length > 1
      ? `<nav aria-label="Categories"><ul class="govuk-list govuk-list--bullet">${view.categories
          .map(
            (c, i) =>
              `<li><a class="govuk-link" href="#category-${i + 1}">${escapeHtml(c.category)}</a> (${c.agreements.length})</li>`,
          )
          .join('')}</ul></nav>`
      : '';
  const body =
    view.total === 0
      ? '<p class="govuk-body">No information sharing agreement is in force.</p>'
      : `${contents}\n${sections.join('\n')}`;
  return renderGovukPage({
    title: 'Register of information sharing agreements',
    windowTitle: 'Register of information sharing agreements in force',
    service: { name: 'Register of agreements', href: '/register' },
    style: STYLE,
    main: `<h1 class="govuk-heading-xl">Register of information sharing agreements</h1>
<p class="govuk-body-l">${plural(view.total, 'agreement is', 'agreements are')} in force on ${date(view.asOf)}, grouped by category.</p>
<p class="govuk-body">An agreement stays in force until it is terminated. One marked <strong>Review overdue</strong> has passed the date its partners set for their next review without recording it. Suspended agreements are not listed while suspended.</p>
${body}`,
    footer:
      "Published under the partners' information sharing agreements. The same register is available as JSON: request it with <code>Accept: application/json</code>.",
  });
}

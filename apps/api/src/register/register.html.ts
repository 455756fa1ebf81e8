import { pageCsp } from '@accord/platform';
import type { RegisterDto, RegisterEntryDto } from './register.dto';

/**
 * The register as a page for people: server-rendered, no script, one inline stylesheet pinned by hash in
 * the Content-Security-Policy. Accessibility (WCAG 2.2 AA): lang, a title, one h1 and an h2 per category,
 * tables with a caption and scoped headers, a skip link, a visible focus ring, and the overdue flag is a
 * word ("Review overdue"), not a colour alone. Every value is escaped: titles and purposes are typed by
 * partners.
 */
const STYLE = `
:root{color-scheme:light;--ink:#0b0c0c;--muted:#505a5f;--line:#b1b4b6;--link:#1d70b8;--alert:#942514;--focus:#ffdd00}
*{box-sizing:border-box}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--ink);background:#fff}
a{color:var(--link)}
a:focus,[tabindex]:focus{outline:3px solid var(--focus);outline-offset:0;box-shadow:0 4px var(--ink)}
.skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:1rem;background:var(--focus);padding:.5rem}
header{background:var(--ink);color:#fff;padding:.75rem 1.5rem;font-weight:700;font-size:1.2rem}
main{max-width:80rem;margin:0 auto;padding:1.5rem}
h1{font-size:2rem;line-height:1.2;margin:.5rem 0 1rem}
h2{font-size:1.5rem;margin:2.5rem 0 .75rem;padding-top:.5rem;border-top:2px solid var(--ink)}
.lede{font-size:1.15rem;max-width:48rem}
.contents{padding-left:1.25rem}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%;min-width:48rem}
caption{text-align:left;font-weight:700;padding:.5rem 0;color:var(--muted)}
th,td{text-align:left;vertical-align:top;padding:.6rem .75rem .6rem 0;border-bottom:1px solid var(--line)}
thead th{border-bottom:2px solid var(--ink)}
tbody th{font-weight:700;width:22%}
td ul{margin:0;padding-left:1.1rem}
.meta{display:block;font-weight:400;color:var(--muted);font-size:.9rem}
.review{min-width:11rem}
.badge{display:inline-block;white-space:nowrap;margin-top:.35rem;padding:.1rem .5rem;background:var(--alert);color:#fff;font-weight:700;border-radius:2px}
.notice{display:block;margin-top:.35rem;font-weight:700}
footer{max-width:80rem;margin:2rem auto;padding:1rem 1.5rem;border-top:1px solid var(--line);color:var(--muted)}
`;

/** For the Content-Security-Policy: the only style the page may apply, pinned by hash. */
export const REGISTER_CSP = pageCsp([STYLE]);

export function escapeHtml(value: unknown): string {
  return String(value)
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

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
  const overdue = entry.reviewOverdue ? '<br><strong class="badge">Review overdue</strong>' : '';
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
    '<tr>',
    `<th scope="row">${escapeHtml(entry.title)}<span class="meta">${tier}, version ${version}</span>${particulars(entry)}</th>`,
    `<td>${list(entry.purposes)}</td>`,
    `<td>${escapeHtml(entry.leadOrganisation.name)}</td>`,
    `<td>${list(entry.otherOrganisations.map((o) => o.name))}</td>`,
    `<td class="review">${review(entry)}</td>`,
    '</tr>',
  ].join('');
}

export function renderRegisterHtml(view: RegisterDto): string {
  const sections = view.categories.map((c, i) => {
    const id = `category-${i + 1}`;
    return [
      `<section aria-labelledby="${id}">`,
      `<h2 id="${id}">${escapeHtml(c.category)}</h2>`,
      `<div class="table-wrap" role="region" aria-labelledby="${id}" tabindex="0">`,
      '<table>',
      `<caption>${escapeHtml(c.category)}: ${plural(c.agreements.length, 'agreement', 'agreements')} in force</caption>`,
      '<thead><tr><th scope="col">Agreement</th><th scope="col">Purposes</th><th scope="col">Lead organisation</th>',
      '<th scope="col">Other organisations</th><th scope="col">Review</th></tr></thead>',
      `<tbody>${c.agreements.map(row).join('')}</tbody>`,
      '</table></div></section>',
    ].join('\n');
  });
  const contents =
    view.categories.length > 1
      ? `<nav aria-label="Categories"><ul class="contents">${view.categories
          .map(
            (c, i) =>
              `<li><a href="#category-${i + 1}">${escapeHtml(c.category)}</a> (${c.agreements.length})</li>`,
          )
          .join('')}</ul></nav>`
      : '';
  const body =
    view.total === 0
      ? '<p>No information sharing agreement is in force.</p>'
      : `${contents}\n${sections.join('\n')}`;
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Register of information sharing agreements in force</title>
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#main">Skip to main content</a>
<header>Accord</header>
<main id="main">
<h1>Register of information sharing agreements</h1>
<p class="lede">${plural(view.total, 'agreement is', 'agreements are')} in force on ${date(view.asOf)}, grouped by category.</p>
<p>An agreement stays in force until it is terminated. One marked <strong>Review overdue</strong> has passed the date its partners set for their next review without recording it. Suspended agreements are not listed while suspended.</p>
${body}
</main>
<footer>Published under the partners' information sharing agreements. The same register is available as JSON: request it with <code>Accept: application/json</code>.</footer>
</body>
</html>
`;
}

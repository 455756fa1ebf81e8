import { SUBJECT_SCHEMES } from '@accord/domain';
import type { AuditEntry } from '@accord/projections';
import type { IntegrityReport } from '../audit-integrity.service';
import type { Cut } from '../audit-cut';
import { renderAccessChart } from './audit-ui-chart.html';
import { csrfField, errorSummary, escapeHtml, renderPage, Signed, when } from './audit-ui.html';
import type { SearchForm, SearchResult, UkSummary } from './audit-ui.queries';
import { UI_KINDS } from './audit-ui.queries';
import { UI_PATH } from './audit-ui.login-nonce';

export interface SearchPageView {
  signed: Signed;
  form: SearchForm;
  scope: 'platform' | 'organisation';
  /** Verification is for auditors only, as GET /audit/verify. */
  canVerify: boolean;
  error?: string;
  result?: SearchResult;
  uk?: UkSummary;
  verify?: IntegrityReport;
}

const KIND_LABELS: Record<(typeof UI_KINDS)[number], string> = {
  document: 'Document (id)',
  user: 'User (id)',
  organisation: 'Organisation (id)',
  agreement: 'Agreement (id)',
  subject: 'Data subject (identifier)',
};

function options(values: readonly string[], selected: string, label: (v: string) => string): string {
  return values
    .map(
      (v) =>
        `<option value="${escapeHtml(v)}"${v === selected ? ' selected' : ''}>${escapeHtml(label(v))}</option>`,
    )
    .join('');
}

/**
 * Posted, with the session's CSRF token: a data subject's identifier must never sit in a URL (the browser's
 * history, a proxy's access log). Other searches answer with a redirect to a bookmarkable GET.
 */
function searchForm(f: SearchForm, csrf: string): string {
  const kinds = options(UI_KINDS, f.kind, (k) => KIND_LABELS[k as keyof typeof KIND_LABELS]);
  const schemes = options(['', ...SUBJECT_SCHEMES], f.scheme, (s) => s || '(not a data subject)');
  return `<form method="post" action="${UI_PATH}" id="search">${csrfField(csrf)}
<div class="fields">
<div class="govuk-form-group"><label class="govuk-label" for="kind">Search by</label><select class="govuk-select" id="kind" name="kind">${kinds}</select></div>
<div class="govuk-form-group"><label class="govuk-label" for="value">Id or identifier</label><input class="govuk-input" id="value" name="value" value="${escapeHtml(f.value)}" autocomplete="off"></div>
<div class="govuk-form-group"><label class="govuk-label" for="scheme">Identifier scheme<span class="govuk-hint hint">for a data subject only</span></label><select class="govuk-select" id="scheme" name="scheme">${schemes}</select></div>
</div>
<div class="fields">
<div class="govuk-form-group"><label class="govuk-label" for="asOfTime">As of (UTC)<span class="govuk-hint hint">empty: now</span></label><input class="govuk-input" id="asOfTime" name="asOfTime" type="datetime-local" step="1" value="${escapeHtml(f.asOfTime)}"></div>
<div class="govuk-form-group"><label class="govuk-label" for="asOfPosition">or as of log position</label><input class="govuk-input govuk-input--width-10" id="asOfPosition" name="asOfPosition" inputmode="numeric" value="${escapeHtml(f.asOfPosition)}"></div>
</div>
<button type="submit" class="govuk-button">Search</button>
</form>`;
}

function cutLine(cut: Cut): string {
  return `as of log position <strong>${cut.position}</strong>, ${when(cut.at)}`;
}

function who(e: AuditEntry): string {
  const a = e.actor;
  if (a.system) return `system: ${escapeHtml(a.system)}`;
  const user = a.userId ? `<span class="meta">user ${escapeHtml(a.userId)}</span>` : '';
  return `${escapeHtml(a.role ?? 'unknown role')} of ${escapeHtml(a.orgId ?? 'unknown organisation')}${user}`;
}

const flat = (v: unknown): string =>
  v === null || typeof v !== 'object'
    ? String(v)
    : Array.isArray(v)
      ? v.map(flat).join(', ')
      : Object.entries(v as Record<string, unknown>)
          .map(([k, x]) => `${k} ${flat(x)}`)
          .join(', ');

/** The event's kept details (audit-entry.ts already withheld titles, names and identifiers), in one line. */
function what(e: AuditEntry): string {
  const summary = Object.entries(e.details)
    .map(([k, v]) => `${k}: ${flat(v)}`)
    .join('; ');
  const short = summary.length > 300 ? `${summary.slice(0, 299)}…` : summary;
  return `<strong>${escapeHtml(e.type)}</strong>${short ? `<span class="meta">${escapeHtml(short)}</span>` : ''}`;
}

/** The next page: a link for ids, a posted form for a data subject (its identifier stays out of URLs). */
function nextPage(form: SearchForm, after: number, csrf: string): string {
  if (form.kind === 'subject') {
    const hidden = Object.entries({ ...form, after: String(after) })
      .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
      .join('');
    return `<form method="post" action="${UI_PATH}">${csrfField(csrf)}${hidden}<button type="submit" class="govuk-button" id="next">Later events</button></form>`;
  }
  return `<p class="govuk-body"><a id="next" href="${UI_PATH}?${escapeHtml(
    new URLSearchParams({ ...form, after: String(after) }).toString(),
  )}">Later events</a></p>`;
}

function timeline(result: SearchResult, form: SearchForm, csrf: string): string {
  const rows = result.items
    .map(
      (e) =>
        `<tr data-type="${escapeHtml(e.type)}"><td class="govuk-table__cell">${when(e.occurredAt)}</td><td class="govuk-table__cell">${what(e)}</td><td class="govuk-table__cell">${who(e)}</td>` +
        `<td class="govuk-table__cell">${escapeHtml(e.orgId ?? '')}</td><td class="govuk-table__cell"><code>${escapeHtml(e.documentId ?? '')}</code></td><td class="govuk-table__cell">${e.position}</td></tr>`,
    )
    .join('\n');
  const accesses = result.items.filter((e) => e.type === 'DocumentAccessed').length;
  const next = result.nextAfter === null ? '' : nextPage(form, result.nextAfter, csrf);
  const table =
    result.items.length === 0
      ? '<p class="govuk-body" id="timeline-empty">No event in your audit scope, at this moment, matches this search.</p>'
      : `<div class="table-wrap"><table class="govuk-table" id="timeline"><caption class="govuk-table__caption govuk-table__caption--s">${result.items.length} events, ${accesses} ${
          accesses === 1 ? 'access' : 'accesses'
        }, in log order</caption>
<thead><tr><th scope="col" class="govuk-table__header">When</th><th scope="col" class="govuk-table__header">What</th><th scope="col" class="govuk-table__header">Who</th><th scope="col" class="govuk-table__header">About organisation</th><th scope="col" class="govuk-table__header">Document</th><th scope="col" class="govuk-table__header">Position</th></tr></thead>
<tbody>${rows}</tbody></table></div>${next}`;
  return `<section aria-labelledby="timeline-h"><h2 class="govuk-heading-l" id="timeline-h">Timeline</h2>
<p class="govuk-body" id="cut">Answered ${cutLine(result.cut)}.</p>${table}</section>
<section aria-labelledby="chart-h"><h2 class="govuk-heading-l" id="chart-h">Accesses per day per organisation</h2>${renderAccessChart(result.items)}</section>`;
}

const summaryRow = (key: string, value: number): string =>
  `<div class="govuk-summary-list__row"><dt class="govuk-summary-list__key">${key}</dt><dd class="govuk-summary-list__value">${value}</dd></div>`;

function ukSummary(uk: UkSummary): string {
  const s = uk.summary;
  const verdict =
    s.nonUkCompleted === 0
      ? '<p class="govuk-inset-text ok" id="uk-verdict">UK-only held: no payload left the UK.</p>'
      : `<p class="govuk-inset-text error" id="uk-verdict" role="alert">UK-only breached: ${s.nonUkCompleted} movement(s) outside the UK went ahead.</p>`;
  return `<section aria-labelledby="uk-h"><h2 class="govuk-heading-l" id="uk-h">UK-only transfers</h2>
<p class="govuk-body">Every movement of a payload in your scope, ${cutLine(uk.cut)}.</p>${verdict}
<dl class="govuk-summary-list" id="uk-summary">${summaryRow('Movements checked', s.checked)}${summaryRow('Non-UK attempted (blocked included)', s.nonUkAttempted)}${summaryRow('Non-UK completed', s.nonUkCompleted)}${summaryRow('Payloads destroyed (retention or erasure)', s.destroyed)}</dl></section>`;
}

function verifyResult(r: IntegrityReport): string {
  const counts = `${r.eventsChecked} events in ${r.streams} streams and ${r.objectsChecked} stored objects checked.`;
  if (r.ok) {
    return `<section id="verify-result" aria-labelledby="verify-h"><h2 class="govuk-heading-l" id="verify-h">Integrity check</h2>
<p class="govuk-inset-text ok" role="status">The log is untampered: every hash chain, the Merkle tree and its signed checkpoints, and every object are intact. ${counts}</p></section>`;
  }
  const first = r.firstBadEvent
    ? `<p class="govuk-body">First bad event: stream <code>${escapeHtml(r.firstBadEvent.streamId)}</code>, revision ${escapeHtml(
        r.firstBadEvent.revision,
      )} (${escapeHtml(r.firstBadEvent.reason)}).</p>`
    : '';
  const outside = r.breakOutsideScope
    ? '<p class="govuk-body">A hash chain outside your audit scope is broken.</p>'
    : '';
  // The Merkle tree, the signed checkpoints and the stream heads: what no chain can see (issue 12).
  const log = r.log.problems
    .map(
      (p) =>
        `<li>Log: ${escapeHtml(p.reason)}${p.size !== undefined ? ` (size ${escapeHtml(p.size)})` : ''}</li>`,
    )
    .join('');
  const objects = r.badObjects
    .map(
      (o) =>
        `<li>Document <code>${escapeHtml(o.documentId)}</code>: ${escapeHtml(o.reason)} (object <code>${escapeHtml(o.objectKey)}</code>)</li>`,
    )
    .join('');
  return `<section id="verify-result" aria-labelledby="verify-h"><h2 class="govuk-heading-l" id="verify-h">Integrity check</h2>
<p class="govuk-inset-text error" role="alert">Tampering detected. ${counts}</p>${first}${outside}${log || objects ? `<ul class="govuk-list govuk-list--bullet">${log}${objects}</ul>` : ''}</section>`;
}

function verifyForm(view: SearchPageView): string {
  const body = view.canVerify
    ? `<form method="post" action="${UI_PATH}/verify">${csrfField(view.signed.csrf)}
<p class="govuk-body">Recompute every hash chain and check every stored object against the hash recorded when it was shared.</p>
<button type="submit" class="govuk-button" id="verify">Verify the log</button></form>`
    : '<p class="govuk-body">Verification of the log is for auditors.</p>';
  return `<section aria-labelledby="integrity-h"><h2 class="govuk-heading-l" id="integrity-h">Integrity</h2>${body}</section>`;
}

export function renderSearchPage(view: SearchPageView): string {
  const scope =
    view.scope === 'platform'
      ? 'You see every organisation (platform auditor).'
      : 'You see the events that involved your own organisation.';
  const error = view.error ? errorSummary(view.error) : '';
  return renderPage(
    'Audit trail',
    `<h1 class="govuk-heading-xl">Audit trail</h1>
<p class="govuk-body">Who shared what with whom, who opened it, who was refused, and when. ${scope}</p>
${view.verify ? verifyResult(view.verify) : ''}
${error}
${searchForm(view.form, view.signed.csrf)}
${view.result ? timeline(view.result, view.form, view.signed.csrf) : ''}
${view.uk ? ukSummary(view.uk) : ''}
${verifyForm(view)}`,
    view.signed,
  );
}

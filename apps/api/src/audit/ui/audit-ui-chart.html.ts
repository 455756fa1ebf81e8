import type { AuditEntry } from '@accord/projections';
import { escapeHtml } from './audit-ui.html';

export interface AccessCounts {
  /** UTC days (YYYY-MM-DD), ascending. */
  days: string[];
  /** Organisations that opened something, ascending. */
  orgs: string[];
  /** `${day} ${org}` -> opens that day. */
  counts: Map<string, number>;
}

const ACCESS_TYPE = 'DocumentAccessed';
/** Colours distinguishable in print and by most colour-blind readers; the legend and table say it in words. */
const PALETTE = ['#1d70b8', '#d4351c', '#00703c', '#6f72af', '#f47738', '#5694ca', '#912b88', '#85994b'];

const key = (day: string, org: string) => `${day} ${org}`;

/** Opens per UTC day per opening organisation, among the entries shown (already scoped and cut). */
export function accessesPerDay(items: readonly AuditEntry[]): AccessCounts {
  const counts = new Map<string, number>();
  const days = new Set<string>();
  const orgs = new Set<string>();
  for (const e of items) {
    if (e.type !== ACCESS_TYPE) continue;
    const day = e.occurredAt.slice(0, 10);
    const org = e.orgId ?? e.actor.orgId ?? 'unknown';
    days.add(day);
    orgs.add(org);
    counts.set(key(day, org), (counts.get(key(day, org)) ?? 0) + 1);
  }
  return { days: [...days].sort(), orgs: [...orgs].sort(), counts };
}

const PLOT_HEIGHT = 160;
const BAR = 18;
const GROUP_GAP = 28;
const LEFT = 36;
const TOP = 12;
const BOTTOM = 28;

/**
 * An inline SVG bar chart drawn on the server (no script, nothing fetched), followed by the same numbers
 * as a table, which is what a screen reader reads.
 */
export function renderAccessChart(items: readonly AuditEntry[]): string {
  const data = accessesPerDay(items);
  if (data.days.length === 0) {
    return '<p class="govuk-body" id="accesses-none">No document was opened in these results.</p>';
  }
  const max = Math.max(...data.counts.values());
  const groupWidth = data.orgs.length * BAR + GROUP_GAP;
  const width = LEFT + data.days.length * groupWidth;
  const height = TOP + PLOT_HEIGHT + BOTTOM;
  const colour = (org: string) => PALETTE[data.orgs.indexOf(org) % PALETTE.length]!;
  const bars: string[] = [];
  data.days.forEach((day, d) => {
    const x0 = LEFT + d * groupWidth + GROUP_GAP / 2;
    data.orgs.forEach((org, o) => {
      const n = data.counts.get(key(day, org)) ?? 0;
      if (n === 0) return;
      const h = Math.max(2, Math.round((n / max) * PLOT_HEIGHT));
      const label = `${day}, ${org}: ${n} ${n === 1 ? 'access' : 'accesses'}`;
      bars.push(
        `<rect x="${x0 + o * BAR}" y="${TOP + PLOT_HEIGHT - h}" width="${BAR - 2}" height="${h}" fill="${colour(org)}"><title>${escapeHtml(label)}</title></rect>`,
      );
    });
    const mid = x0 + (data.orgs.length * BAR) / 2;
    bars.push(
      `<text x="${mid}" y="${TOP + PLOT_HEIGHT + 18}" text-anchor="middle">${escapeHtml(day.slice(5))}</text>`,
    );
  });
  const axis =
    `<line x1="${LEFT - 4}" y1="${TOP + PLOT_HEIGHT}" x2="${width}" y2="${TOP + PLOT_HEIGHT}" stroke="#0b0c0c"/>` +
    `<text x="${LEFT - 8}" y="${TOP + 10}" text-anchor="end">${max}</text>` +
    `<text x="${LEFT - 8}" y="${TOP + PLOT_HEIGHT}" text-anchor="end">0</text>`;
  const legend = data.orgs
    .map(
      (org) =>
        `<li><svg width="12" height="12" aria-hidden="true"><rect width="12" height="12" fill="${colour(org)}"/></svg> ${escapeHtml(org)}</li>`,
    )
    .join('');
  const head = data.orgs
    .map((o) => `<th scope="col" class="govuk-table__header">${escapeHtml(o)}</th>`)
    .join('');
  const rows = data.days
    .map(
      (day) =>
        `<tr><th scope="row" class="govuk-table__header">${escapeHtml(day)}</th>${data.orgs
          .map((org) => `<td class="govuk-table__cell">${data.counts.get(key(day, org)) ?? 0}</td>`)
          .join('')}</tr>`,
    )
    .join('');
  return `<figure id="accesses-chart">
<svg role="img" aria-labelledby="chart-caption" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">${axis}${bars.join('')}</svg>
<figcaption id="chart-caption">Accesses per day (UTC) per organisation</figcaption>
<ul aria-label="Legend">${legend}</ul>
</figure>
<div class="table-wrap"><table class="govuk-table" id="accesses-table"><caption class="govuk-table__caption govuk-table__caption--s">Accesses per day per organisation</caption>
<thead><tr><th scope="col" class="govuk-table__header">Day</th>${head}</tr></thead><tbody>${rows}</tbody></table></div>`;
}

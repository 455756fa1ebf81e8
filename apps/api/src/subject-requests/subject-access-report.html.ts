import { pageCsp } from '@accord/platform';
import type { ReportDocument, SubjectAccessReport } from '@accord/domain';

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};
/** Every value is escaped: titles and reasons are free text typed by users. */
const esc = (value: unknown): string => String(value ?? '').replace(/[&<>"']/g, (c) => ESCAPES[c]!);

const row = (label: string, value: string): string =>
  `<tr><th scope="row">${esc(label)}</th><td>${value}</td></tr>`;

function documentSection(d: ReportDocument, index: number): string {
  const openings =
    d.openings.length === 0
      ? '<p>Nobody has opened this document.</p>'
      : `<table class="openings"><thead><tr><th>When</th><th>Organisation</th><th>User</th><th>Role</th></tr></thead><tbody>${d.openings
          .map(
            (o) =>
              `<tr><td>${esc(o.at)}</td><td>${esc(o.orgId)}</td><td>${esc(o.userId ?? '')}</td><td>${esc(o.role ?? '')}</td></tr>`,
          )
          .join('')}</tbody></table>`;
  return `<section class="document">
<h2>${index + 1}. ${esc(d.title || '(untitled)')}</h2>
<table>
${row('Document', esc(d.documentId))}
${row('Held as', d.held === 'sent' ? 'Shared by this organisation' : `Received from ${esc(d.obtainedFrom)}`)}
${row('Shared', `${esc(d.sharedAt)} by ${esc(d.obtainedFrom)}${d.sharedBy ? ` (user ${esc(d.sharedBy)})` : ''}`)}
${row('Agreement', `${esc(d.agreement.title)} (${esc(d.agreement.id)}, version ${esc(d.agreement.version)})`)}
${row('Lawful basis', d.agreement.lawfulBases.map((b) => `${esc(b.label)} <code>${esc(b.code)}</code>`).join('<br>'))}
${row('Purpose', esc(d.purpose))}
${row('Data categories', esc(d.dataCategories.join(', ')))}
${row('Nature', esc(d.nature))}
${row('Shared with', esc(d.sharedWith.join(', ')))}
${row('Kept until', esc(d.retainUntil))}
${row('State', esc(d.state) + (d.supersededBy ? ` (superseded by ${esc(d.supersededBy)})` : ''))}
</table>
<h3>Opened</h3>
${openings}
</section>`;
}

const STYLE = `
body{font-family:system-ui,sans-serif;margin:2rem;color:#111}
table{border-collapse:collapse;margin:.5rem 0;width:100%}
th,td{border:1px solid #999;padding:.25rem .5rem;text-align:left;vertical-align:top}
th[scope=row]{width:12rem;background:#f3f3f3}
section.document{page-break-inside:avoid;margin-top:1.5rem}
@media print{body{margin:1cm}}
`;

/** The report's CSP: its one inline stylesheet, pinned by hash; nothing else loads or runs. */
export const SUBJECT_ACCESS_REPORT_CSP = pageCsp([STYLE]);

/** A self-contained page that prints on A4 (no script, no external resource). */
export function renderSubjectAccessReport(r: SubjectAccessReport): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Subject access report ${esc(r.requestId)}</title>
<style>${STYLE}</style></head>
<body>
<h1>Subject access report</h1>
<p>UK GDPR Article 15: the personal data held about the data subject on the Accord platform by ${esc(r.orgId)},
where each document came from, why it is held, who it was shared with, and who opened it.</p>
<table>
${row('Request', esc(r.requestId))}
${row('Received', esc(r.receivedAt))}
${row('Report as of', esc(r.asOf))}
${row('Reason', esc(r.reason))}
${row('Documents', esc(r.documents.length))}
</table>
${r.documents.length === 0 ? '<p>No document about the data subject is held.</p>' : r.documents.map(documentSection).join('\n')}
</body></html>
`;
}

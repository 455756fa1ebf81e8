import { pageCsp } from '@accord/platform';
import type { Response } from 'express';
import { CSRF_FIELD } from '../../auth';
import { renderGovukPage } from '../../web/govuk-page';
import { escapeHtml } from '../../web/html-escape';
import { LOGIN_PATH, UI_PATH } from './audit-ui.login-nonce';

/**
 * The audit view's frame: server-rendered on the GOV.UK Design System's template and styles (served from
 * this origin), no script, and one small inline stylesheet of its own pinned by hash in the CSP (as the
 * register page). Every value is escaped with the one escapeHtml: ids, reasons and search terms all come
 * from users. Accessibility as the register: lang, title, one h1, labelled fields, a skip link, GOV.UK's
 * focus styles, an error summary, and states in words, not colour alone.
 */
const STYLE = `
.accord-brand{font-weight:700;font-size:1.875rem;line-height:1.2}
.accord-signed{display:flex;gap:1rem;align-items:center;flex-wrap:wrap;color:#fff;margin-top:.5rem}
.accord-signed form{margin:0}.accord-signed .govuk-button{margin:0}
.fields{display:flex;gap:1.5rem;flex-wrap:wrap;align-items:flex-end}
.table-wrap{overflow-x:auto}
.meta{display:block;font-weight:400;color:#505a5f}
code{word-break:break-all}
svg text{font:12px "GDS Transport",arial,sans-serif;fill:#0b0c0c}
`;

export const AUDIT_UI_CSP = pageCsp([STYLE], "'self'", { sameOriginAssets: true });

export { escapeHtml };

/** The signed-in caller, shown in the header with the sign-out form (which carries the CSRF token). */
export interface Signed {
  label: string;
  csrf: string;
}

export function csrfField(csrf: string): string {
  return `<input type="hidden" name="${CSRF_FIELD}" value="${escapeHtml(csrf)}">`;
}

/** GOV.UK's error summary: the refusal in words, announced, at the top of the page. */
export function errorSummary(message: string): string {
  return `<div class="govuk-error-summary" data-module="govuk-error-summary"><div role="alert">
<h2 class="govuk-error-summary__title">There is a problem</h2>
<div class="govuk-error-summary__body"><p class="govuk-body" id="error">${escapeHtml(message)}</p></div>
</div></div>`;
}

export function renderPage(title: string, body: string, signed?: Signed): string {
  const headerExtra = signed
    ? `<div class="accord-signed"><span class="who">${escapeHtml(signed.label)}</span>` +
      `<form method="post" action="${UI_PATH}/logout">${csrfField(signed.csrf)}<button type="submit" class="govuk-button govuk-button--secondary">Sign out</button></form></div>`
    : '';
  return renderGovukPage({
    title,
    service: { name: 'Accord audit', href: UI_PATH },
    headerExtra,
    style: STYLE,
    main: body,
    footer:
      'Every page is read from the audit trail as it stood at the moment shown, cut to your audit scope.',
  });
}

/**
 * Pages hold audit data: never cached. Never framed nor sent on as a referrer either: helmet's headers, on
 * every response (libs/platform security-headers.ts), see to that.
 */
export function sendPage(res: Response, status: number, html: string): void {
  res.setHeader('Content-Security-Policy', AUDIT_UI_CSP);
  res.setHeader('Cache-Control', 'no-store');
  res.status(status).type('text/html; charset=utf-8').send(html);
}

export function renderLoginPage(nonce: string, error?: string): string {
  const problem = error ? errorSummary(error) : '';
  return renderPage(
    'Sign in',
    `${problem}
<h1 class="govuk-heading-xl">Sign in to the audit view</h1>
<p class="govuk-body">Use your Accord API token. It is checked once; the browser then keeps only a session cookie, never the token.</p>
<form method="post" action="${LOGIN_PATH}">
<input type="hidden" name="nonce" value="${escapeHtml(nonce)}">
<div class="govuk-form-group"><label class="govuk-label" for="token">API token</label>
<input class="govuk-input govuk-!-width-two-thirds" id="token" name="token" type="password" autocomplete="off" required></div>
<button type="submit" class="govuk-button">Sign in</button>
</form>`,
  );
}

export function renderErrorPage(title: string, detail: string, signed?: Signed): string {
  const back = signed
    ? `<p class="govuk-body"><a class="govuk-link" href="${UI_PATH}">Back to the search</a></p>`
    : `<p class="govuk-body"><a class="govuk-link" href="${LOGIN_PATH}">Sign in</a></p>`;
  return renderPage(
    title,
    `${errorSummary(detail)}<h1 class="govuk-heading-xl">${escapeHtml(title)}</h1>${back}`,
    signed,
  );
}

const WHEN = new Intl.DateTimeFormat('en-GB', {
  day: 'numeric',
  month: 'long',
  year: 'numeric',
  hour: '2-digit',
  minute: '2-digit',
  second: '2-digit',
  hour12: false,
  timeZone: 'UTC',
});

export function when(iso: string | null): string {
  if (iso === null) return '<span class="meta">before any event</span>';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return escapeHtml(iso);
  return `<time datetime="${escapeHtml(d.toISOString())}">${escapeHtml(WHEN.format(d))} UTC</time>`;
}

import { pageCsp } from '@accord/platform';
import type { Response } from 'express';
import { escapeHtml } from '../../register/register.html';
import { LOGIN_PATH, UI_PATH } from './audit-ui.sessions';

/**
 * The audit view's frame: server-rendered, no script, one inline stylesheet pinned by hash in the CSP (as
 * the register page). Every value is escaped with the register's escapeHtml: ids, reasons and search
 * terms all come from users. Accessibility as the register: lang, title, one h1, labelled fields, a skip
 * link, a visible focus ring, and states in words, not colour alone.
 */
const STYLE = `
:root{color-scheme:light;--ink:#0b0c0c;--muted:#505a5f;--line:#b1b4b6;--link:#1d70b8;--alert:#942514;--ok:#00703c;--focus:#ffdd00}
*{box-sizing:border-box}
body{margin:0;font:1rem/1.5 system-ui,-apple-system,"Segoe UI",Roboto,Arial,sans-serif;color:var(--ink);background:#fff}
a{color:var(--link)}
a:focus,button:focus,input:focus,select:focus,[tabindex]:focus{outline:3px solid var(--focus);outline-offset:0;box-shadow:0 4px var(--ink)}
.skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:1rem;background:var(--focus);padding:.5rem}
header{background:var(--ink);color:#fff;padding:.75rem 1.5rem;display:flex;gap:1rem;align-items:center;flex-wrap:wrap}
header .brand{font-weight:700;font-size:1.2rem;margin-right:auto}
header a,header .who{color:#fff}
header form{margin:0}
main{max-width:80rem;margin:0 auto;padding:1.5rem}
h1{font-size:2rem;line-height:1.2;margin:.5rem 0 1rem}
h2{font-size:1.5rem;margin:2rem 0 .75rem;padding-top:.5rem;border-top:2px solid var(--ink)}
label{display:block;font-weight:700;margin:.75rem 0 .25rem}
.hint{display:block;font-weight:400;color:var(--muted);font-size:.9rem}
input,select{font:inherit;padding:.35rem;border:2px solid var(--ink);min-width:14rem}
button{font:inherit;font-weight:700;padding:.45rem 1rem;margin-top:1rem;border:0;background:var(--ok);color:#fff;cursor:pointer}
header button{margin:0;background:#fff;color:var(--ink)}
.fields{display:flex;gap:1.5rem;flex-wrap:wrap;align-items:flex-end}
.error{border-left:6px solid var(--alert);padding:.5rem 1rem;margin:1rem 0;font-weight:700}
.ok{border-left:6px solid var(--ok);padding:.5rem 1rem;margin:1rem 0;font-weight:700}
.table-wrap{overflow-x:auto}
table{border-collapse:collapse;width:100%}
caption{text-align:left;font-weight:700;padding:.5rem 0;color:var(--muted)}
th,td{text-align:left;vertical-align:top;padding:.5rem .75rem .5rem 0;border-bottom:1px solid var(--line)}
thead th{border-bottom:2px solid var(--ink)}
.meta{display:block;font-weight:400;color:var(--muted);font-size:.9rem}
code{word-break:break-all}
dl{display:grid;grid-template-columns:max-content auto;gap:.25rem 1rem}dt{font-weight:700}dd{margin:0}
svg text{font:12px system-ui,sans-serif;fill:var(--ink)}
footer{max-width:80rem;margin:2rem auto;padding:1rem 1.5rem;border-top:1px solid var(--line);color:var(--muted)}
`;

export const AUDIT_UI_CSP = pageCsp([STYLE], "'self'");

export { escapeHtml };

/** The signed-in caller, shown in the header with the logout form (which carries the CSRF token). */
export interface Signed {
  label: string;
  csrf: string;
}

export function csrfField(csrf: string): string {
  return `<input type="hidden" name="csrf" value="${escapeHtml(csrf)}">`;
}

export function renderPage(title: string, body: string, signed?: Signed): string {
  const nav = signed
    ? `<a href="${UI_PATH}">Search</a><span class="who">${escapeHtml(signed.label)}</span>` +
      `<form method="post" action="${UI_PATH}/logout">${csrfField(signed.csrf)}<button type="submit">Sign out</button></form>`
    : '';
  return `<!doctype html>
<html lang="en-GB">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(title)} - Accord audit</title>
<style>${STYLE}</style>
</head>
<body>
<a class="skip" href="#main">Skip to main content</a>
<header><span class="brand">Accord audit</span>${nav}</header>
<main id="main">
${body}
</main>
<footer>Every page is read from the audit trail as it stood at the moment shown, cut to your audit scope.</footer>
</body>
</html>
`;
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
  const problem = error ? `<p class="error" role="alert">${escapeHtml(error)}</p>` : '';
  return renderPage(
    'Sign in',
    `<h1>Sign in to the audit view</h1>
${problem}
<p>Use your Accord API token. It is checked once; the browser then keeps only a session cookie, never the token.</p>
<form method="post" action="${LOGIN_PATH}">
<input type="hidden" name="nonce" value="${escapeHtml(nonce)}">
<label for="token">API token</label>
<input id="token" name="token" type="password" autocomplete="off" required>
<div><button type="submit">Sign in</button></div>
</form>`,
  );
}

export function renderErrorPage(title: string, detail: string, signed?: Signed): string {
  const back = signed
    ? `<p><a href="${UI_PATH}">Back to the search</a></p>`
    : `<p><a href="${LOGIN_PATH}">Sign in</a></p>`;
  return renderPage(
    title,
    `<h1>${escapeHtml(title)}</h1><p class="error" role="alert">${escapeHtml(detail)}</p>${back}`,
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

import { escapeHtml } from './html-escape';
import { GOVUK_ASSETS_PATH, GOVUK_STYLESHEET } from './govuk-assets.controller';

export interface GovukPage {
  /** The page's own title; " - <service>" is added for the browser's title bar. */
  title: string;
  /** The window title exactly, when a page has always had its own. */
  windowTitle?: string;
  service: { name: string; href: string };
  /** Extra header content (the signed-in user, a sign-out form), already escaped. */
  headerExtra?: string;
  /** The page's main content, already escaped. */
  main: string;
  footer: string;
  /** The page's own inline stylesheet, pinned by hash in its CSP (see pageCsp). */
  style: string;
}

/**
 * The GOV.UK Frontend page template (govuk-template, header, width container, main wrapper, footer) for the
 * server-rendered pages, without its script: the pages need none, and their CSP admits none. Not a GOV.UK
 * service, so the header carries the product's name, never the crown.
 */
export function renderGovukPage(page: GovukPage): string {
  const windowTitle = page.windowTitle ?? `${page.title} - ${page.service.name}`;
  return `<!DOCTYPE html>
<html lang="en-GB" class="govuk-template">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1, viewport-fit=cover">
<meta name="theme-color" content="#0b0c0c">
<meta name="referrer" content="no-referrer">
<title>${escapeHtml(windowTitle)}</title>
<link rel="icon" sizes="48x48" href="${GOVUK_ASSETS_PATH}/assets/images/favicon.ico">
<link rel="stylesheet" href="${GOVUK_STYLESHEET}">
<style>${page.style}</style>
</head>
<body class="govuk-template__body">
<a href="#main" class="govuk-skip-link">Skip to main content</a>
<header class="govuk-header" role="banner">
<div class="govuk-header__container govuk-width-container">
<div class="govuk-header__logo"><span class="govuk-header__logotype-text accord-brand">Accord</span></div>
<div class="govuk-header__content"><a href="${escapeHtml(page.service.href)}" class="govuk-header__link govuk-header__service-name">${escapeHtml(page.service.name)}</a>${page.headerExtra ?? ''}</div>
</div>
</header>
<div class="govuk-width-container">
<main class="govuk-main-wrapper" id="main">
${page.main}
</main>
</div>
<footer class="govuk-footer" role="contentinfo">
<div class="govuk-width-container"><div class="govuk-footer__meta"><div class="govuk-footer__meta-item govuk-footer__meta-item--grow">${page.footer}</div></div></div>
</footer>
</body>
</html>
`;
}

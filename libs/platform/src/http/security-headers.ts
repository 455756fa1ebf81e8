import { createHash } from 'node:crypto';
import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers on every response, by helmet: HSTS, nosniff, frame denial, no referrer, same-origin
 * opener and resource policies, and a Content-Security-Policy that allows nothing. An API answer is data:
 * rendered by a browser it must run nothing, load nothing and be framed by no one. An HTML page that needs
 * more (an inline stylesheet) replaces the CSP with its own, built by `pageCsp` from hashes, never with
 * 'unsafe-inline'.
 */
export function securityHeaders(): RequestHandler {
  return helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'none'"],
        baseUri: ["'none'"],
        formAction: ["'none'"],
        frameAncestors: ["'none'"],
      },
    },
    frameguard: { action: 'deny' },
    referrerPolicy: { policy: 'no-referrer' },
  });
}

/** A CSP source expression for exactly this inline stylesheet or style attribute (CSP 3, hash-source). */
export function styleHashSource(css: string): string {
  return `'sha256-${createHash('sha256').update(css, 'utf8').digest('base64')}'`;
}

/**
 * The CSP of a server-rendered page without script: nothing but its own inline stylesheets (by hash), and,
 * with `sameOriginAssets`, the stylesheets, fonts and images this origin serves (the GOV.UK styles at
 * /assets/govuk); `formAction` is `'self'` for a page that posts forms.
 */
export function pageCsp(
  styles: readonly string[],
  formAction: "'self'" | "'none'" = "'none'",
  options: { sameOriginAssets?: boolean } = {},
): string {
  const own = options.sameOriginAssets ? " 'self'" : '';
  return [
    "default-src 'none'",
    `style-src ${styles.map(styleHashSource).join(' ')}${own}`,
    ...(options.sameOriginAssets ? ["font-src 'self'", "img-src 'self'"] : []),
    `form-action ${formAction}`,
    "base-uri 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}

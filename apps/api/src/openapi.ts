import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { styleHashSource } from '@accord/platform';

export const DOCS_PATH = 'docs';

/**
 * The CSP of the Swagger UI page. Its scripts are files served from /docs, so `script-src 'self'` with no
 * inline script at all. Its inline CSS (two <style> blocks and one style attribute in @nestjs/swagger's
 * template) is allowed by hash, the attribute through 'unsafe-hashes' (CSP 3: the only way to admit one
 * attribute without 'unsafe-inline'); the hashes are taken from the page as served, so a new template
 * version cannot silently break it. Swagger UI draws its icons from data: URIs and fetches /docs-json.
 */
export function docsCsp(html: string): string {
  const inline = new Set<string>();
  for (const m of html.matchAll(/<style[^>]*>([\s\S]*?)<\/style>/g)) inline.add(styleHashSource(m[1]!));
  for (const m of html.matchAll(/\sstyle="([^"]*)"/g)) inline.add(styleHashSource(m[1]!));
  return [
    "default-src 'self'",
    "script-src 'self'",
    `style-src 'self' 'unsafe-hashes' ${[...inline].join(' ')}`,
    "img-src 'self' data:",
    "connect-src 'self'",
    "object-src 'none'",
    "base-uri 'none'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

/** Sets the page's CSP from the HTML @nestjs/swagger sends for /docs (it offers no hook of its own). */
function docsPageCsp(req: Request, res: Response, next: NextFunction): void {
  if (req.method !== 'GET' || (req.path !== `/${DOCS_PATH}` && req.path !== `/${DOCS_PATH}/`)) return next();
  const send = res.send.bind(res);
  res.send = (body?: unknown) => {
    if (typeof body === 'string' && /^\s*(<!--[\s\S]*?-->\s*)?<!DOCTYPE html>/i.test(body))
      res.setHeader('Content-Security-Policy', docsCsp(body));
    return send(body);
  };
  next();
}

/** Serves the OpenAPI document at /docs-json and its browsable form at /docs. */
export function setUpOpenApi(app: INestApplication, version: string): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Accord')
      .setDescription(
        'Event-sourced exchange of OpenPGP-encrypted case documents between UK public-sector partners under ' +
          'Information Sharing Agreements. Errors are RFC 9457 application/problem+json with a correlationId.',
      )
      .setVersion(version)
      .addBearerAuth()
      .build(),
  );
  app.use(docsPageCsp);
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    yamlDocumentUrl: `${DOCS_PATH}-yaml`,
    // The standalone layout's top bar draws Swagger's logo, an SVG whose <style> the bundle injects at run
    // time (a hash would be tied to one swagger-ui-dist build); the base layout is the same UI without it.
    swaggerOptions: { layout: 'BaseLayout' },
  });
}

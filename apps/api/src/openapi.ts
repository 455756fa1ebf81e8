import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, type OpenAPIObject, SwaggerModule } from '@nestjs/swagger';
import type { NextFunction, Request, Response } from 'express';
import { MIN_POSITION_HEADER, POSITION_HEADER, styleHashSource } from '@accord/platform';

export const DOCS_PATH = 'docs';

/** The one security scheme: every route needs it unless its operation says `security: []`. */
export const BEARER_SCHEME = 'bearer';

/** Tags in the order the browsable docs list them, each with what it groups. */
const TAGS: [name: string, description: string][] = [
  ['operations', 'Health of this node'],
  ['register', 'The public register of agreements in force'],
  ['organisations', 'The directory of partner organisations and their OpenPGP keys'],
  ['users', 'Users, API tokens, suspension and the access agreement'],
  ['sessions', 'Browser sign-in: a session cookie and its CSRF token'],
  ['agreements', 'Information Sharing Agreements: draft, sign, amend, review, suspend, terminate'],
  ['documents', 'Share encrypted case documents and open them'],
  ['notifications', "The caller's organisation's inbox"],
  ['inbox', 'What was shared with the caller, and what became of it'],
  ['retention', 'Retention schedule and legal holds'],
  ['subject-requests', 'Data-subject rights: access, restriction, erasure, rectification'],
  ['breaches', 'Breach reports, ICO deadlines and containment'],
  ['incidents', 'Security incidents the platform detected'],
  ['webhooks', 'Breach webhooks of an organisation'],
  ['audit', 'Histories, the raw log and its verification'],
  ['transfers', 'Every movement of a payload with its UK verdict'],
];

/**
 * The fallback for a route whose @ApiOperation names no operationId: `<controller><Method>` in camelCase
 * (`auditLogEvents`), unique because a controller's method names are. Routes name their own ids
 * (`shareDocument`); this only keeps Nest's `AuditLogController_events` out of generated clients.
 */
export function fallbackOperationId(controllerKey: string, methodKey: string): string {
  const controller = controllerKey.replace(/Controller$/, '');
  if (controller === '') return methodKey;
  return (
    controller.charAt(0).toLowerCase() +
    controller.slice(1) +
    methodKey.charAt(0).toUpperCase() +
    methodKey.slice(1)
  );
}

/** The OpenAPI document of the running application, as served at /docs-json and exported to docs/openapi.json. */
export function buildOpenApiDocument(app: INestApplication, version: string): OpenAPIObject {
  const builder = new DocumentBuilder()
    .setTitle('Accord')
    .setDescription(
      'Event-sourced exchange of OpenPGP-encrypted case documents between UK public-sector partners under ' +
        'Information Sharing Agreements. Errors are RFC 9457 application/problem+json (the Problem schema) ' +
        'with a correlationId.',
    )
    .setVersion(version)
    // Relative: the document is served by the api it describes, behind whatever host and proxy it has.
    .addServer('/', 'The api serving this document')
    // API tokens are opaque random strings (`acc_...`) looked up by their SHA-256, not JWTs.
    .addSecurity(BEARER_SCHEME, {
      type: 'http',
      scheme: 'bearer',
      description: 'An opaque Accord API token (`acc_...`), issued at enrolment and shown once',
    })
    // Browsers: the cookie POST /session sets, in place of the header (state changes add X-CSRF-Token).
    .addSecurity('session', {
      type: 'apiKey',
      in: 'cookie',
      name: 'accord_session',
      description: 'The browser session (POST /session); POST, PUT, PATCH and DELETE also need X-CSRF-Token',
    })
    // The default, as the auth guard's is: a route added without any security decorator still needs a token.
    .addSecurityRequirements(BEARER_SCHEME);
  for (const [name, description] of TAGS) builder.addTag(name, description);
  const document = SwaggerModule.createDocument(app, builder.build(), {
    operationIdFactory: fallbackOperationId,
  });
  return withLogPositionHeaders(document);
}

const HTTP_METHODS = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'] as const;

/**
 * Read-your-writes across api nodes (docs/architecture.md §38) on every operation: each may be sent the
 * position a client last saw, and each write's success answer states the position of what it appended.
 * Added here rather than per route, as the middleware that honours them applies to every route.
 */
export function withLogPositionHeaders(document: OpenAPIObject): OpenAPIObject {
  const minPosition = canonicalHeaderName(MIN_POSITION_HEADER);
  const position = canonicalHeaderName(POSITION_HEADER);
  document.components = {
    ...document.components,
    parameters: {
      ...document.components?.parameters,
      MinPosition: {
        name: minPosition,
        in: 'header',
        required: false,
        description:
          `The highest ${position} this client has been answered with: the node waits until its read ` +
          'models include that position before handling the request (503 with Retry-After if it cannot ' +
          'within its timeout), so a write made through one api node is seen through any other',
        schema: { type: 'integer', minimum: 0 },
      },
    },
    headers: {
      ...document.components?.headers,
      Position: {
        description:
          `Log position of the last event this request appended (or found already appended, on a retry); ` +
          `echo the highest seen in ${minPosition}`,
        schema: { type: 'integer', minimum: 1 },
      },
    },
  };
  for (const item of Object.values(document.paths)) {
    for (const method of HTTP_METHODS) {
      const operation = item[method];
      if (!operation) continue;
      operation.parameters = [
        ...(operation.parameters ?? []),
        { $ref: '#/components/parameters/MinPosition' },
      ];
      if (method === 'get' || method === 'head') continue;
      for (const [status, response] of Object.entries(operation.responses ?? {})) {
        if (!status.startsWith('2') || !response || '$ref' in response) continue;
        response.headers = { ...response.headers, [position]: { $ref: '#/components/headers/Position' } };
      }
    }
  }
  return document;
}

/** `accord-min-position` → `Accord-Min-Position`, as documents spell header names. */
const canonicalHeaderName = (name: string): string =>
  name.replace(/(^|-)([a-z])/g, (_, dash: string, c: string) => dash + c.toUpperCase());

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
  app.use(docsPageCsp);
  SwaggerModule.setup(DOCS_PATH, app, buildOpenApiDocument(app, version), {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    yamlDocumentUrl: `${DOCS_PATH}-yaml`,
    // The standalone layout's top bar draws Swagger's logo, an SVG whose <style> the bundle injects at run
    // time (a hash would be tied to one swagger-ui-dist build); the base layout is the same UI without it.
    swaggerOptions: { layout: 'BaseLayout' },
  });
}

/**
 * The document as committed in docs/openapi.json: object keys sorted at every level and two-space indented,
 * so an export depends only on the routes and schemas, and a re-export after a merge diffs line by line.
 */
export function canonicalOpenApiJson(document: unknown): string {
  const sorted = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(sorted);
    if (value === null || typeof value !== 'object') return value;
    return Object.fromEntries(
      Object.keys(value)
        .sort()
        .map((k) => [k, sorted((value as Record<string, unknown>)[k])]),
    );
  };
  return `${JSON.stringify(sorted(document), null, 2)}\n`;
}

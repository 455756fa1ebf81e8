import { createHash } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { NestExpressApplication } from '@nestjs/platform-express';
import { json } from 'express';
import { ACCORD_CONFIG, LoadedConfig } from '../config/accord-config';
import { AppLogger } from '../logging/app-logger';
import { ABUSE_COUNTERS, AbuseCounters } from '../abuse/abuse-counters';
import { Metrics } from '../metrics/metrics';
import { IdempotencyFingerprintGuard } from './idempotency-fingerprint.guard';
import { awaitMinPosition } from './log-position';
import { ProjectorHost } from '../projections/projector-host';
import { ProblemDetailsFilter } from './problem-details.filter';
import { answerClientErrorsAsProblems } from './client-errors';
import { BODY_SHA256, jsonDepthExceeds } from './hostile-input';
import { requestLogging } from './request-logging';
import { bodyParserErrors, cleanJsonBodies, requestMiddleware } from './request-middleware';
import { securityHeaders } from './security-headers';
import { createValidationPipe } from './validation.pipe';

/**
 * Express setting holding the header a trusted proxy states the client's country in (CLIENT_COUNTRY_HEADER),
 * read with `req.app.get(...)` where a request's client is described (apps/api auth/event-meta.ts).
 */
export const CLIENT_COUNTRY_HEADER_SETTING = 'accord client country header';

/** JSON bodies are commands and metadata; documents travel as multipart streams, never as JSON. */
export const JSON_BODY_LIMIT = '1mb';

/**
 * Express-level wiring every HTTP app shares. Order matters: the correlation id is set before the body is
 * parsed, so even a malformed body gets a problem that carries it. The app must be created with
 * `bodyParser: false` so that this order holds.
 */
export function configureHttpApp(app: NestExpressApplication): void {
  const config = app.get<LoadedConfig>(ACCORD_CONFIG);
  const logger = app.get(AppLogger);
  const metrics = app.get(Metrics);
  // req.ip is the client only behind a trusted proxy (docs/architecture.md §15.4, client country).
  app.set('trust proxy', [...config.http.trustedProxies]);
  app.set(CLIENT_COUNTRY_HEADER_SETTING, config.http.clientCountryHeader);
  app.disable('x-powered-by');
  answerClientErrorsAsProblems(app.getHttpServer());
  app.use(requestMiddleware(metrics));
  app.use(requestLogging(logger));
  app.use(securityHeaders());
  app.use(json({ limit: JSON_BODY_LIMIT, verify: verifyJsonBody }));
  app.use(bodyParserErrors(JSON_BODY_LIMIT));
  app.use(cleanJsonBodies(metrics));
  // Before the guards: the token a client was just issued on another node must be known here (§38).
  app.use(awaitMinPosition(app.get(ProjectorHost), config.readYourWritesTimeoutMs));
  app.useGlobalFilters(new ProblemDetailsFilter(logger));
  app.useGlobalPipes(createValidationPipe());
  // Runs after the APP_GUARDs (the auth guard), which Nest registered when the app was created.
  app.useGlobalGuards(new IdempotencyFingerprintGuard(app.get<AbuseCounters>(ABUSE_COUNTERS), metrics));
}

/**
 * Runs on the raw bytes before JSON.parse: refuses a body nested too deep (docs/architecture.md §7, hostile
 * input) and fingerprints it. body-parser turns a throw here into an error carrying our `type`.
 */
function verifyJsonBody(req: IncomingMessage, _res: unknown, buf: Buffer): void {
  if (jsonDepthExceeds(buf))
    throw Object.assign(new Error('json too deep'), { type: 'accord.json-too-deep' });
  (req as IncomingMessage & { [BODY_SHA256]?: string })[BODY_SHA256] = createHash('sha256')
    .update(buf)
    .digest('hex');
}

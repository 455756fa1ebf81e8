import type { NextFunction, Request, Response } from 'express';
import { AppLogger } from '../logging/app-logger';
import { Metrics } from '../metrics/metrics';
import { assertCleanJson, tooDeep } from './hostile-input';
import { malformedJson, payloadTooLarge } from './request-error';
import { CORRELATION_ID_HEADER, correlationIdFrom, runInRequestContext } from './request-context';

/** Probes scraped every few seconds: logged at debug so they do not drown the request log. */
const QUIET_ROUTES = new Set(['/health', '/metrics']);

/**
 * First middleware of every request: gives it a correlation id (the caller's if safe, else new), echoes it,
 * runs the rest of the request in its context, and on completion logs one line and observes the duration.
 * The line names the route template, never the path or query: those can carry a subject identifier.
 */
export function requestMiddleware(logger: AppLogger, metrics: Metrics) {
  return (req: Request, res: Response, next: NextFunction): void => {
    const correlationId = correlationIdFrom(req.headers[CORRELATION_ID_HEADER]);
    const started = process.hrtime.bigint();
    res.locals.correlationId = correlationId;
    res.setHeader(CORRELATION_ID_HEADER, correlationId);

    let done = false;
    const finish = (): void => {
      if (done) return;
      done = true;
      const seconds = Number(process.hrtime.bigint() - started) / 1e9;
      const route = routeTemplate(req);
      const status = res.writableFinished ? res.statusCode : 499;
      metrics.httpRequestDuration.observe({ method: req.method, route, status: String(status) }, seconds);
      const line = {
        correlationId,
        method: req.method,
        route,
        status,
        durationMs: Math.round(seconds * 1e4) / 10,
      };
      if (QUIET_ROUTES.has(route)) logger.debug('request', line);
      else if (status >= 500) logger.warn('request', line);
      else logger.info('request', line);
    };
    res.once('finish', finish);
    res.once('close', finish);
    runInRequestContext({ correlationId }, next);
  };
}

/** The matched route's template (`/documents/:id`), or `unmatched`: bounded, so safe as a metric label. */
export function routeTemplate(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` || '/' : 'unmatched';
}

/**
 * Placed right after the body parsers: turns their errors into our request errors before Nest sees them.
 * Nest would otherwise answer a JSON syntax error with its message, which quotes the body.
 */
export function bodyParserErrors(limit: string) {
  return (error: unknown, _req: Request, _res: Response, next: NextFunction): void => {
    const type = (error as { type?: unknown } | null)?.type;
    if (type === 'entity.parse.failed') return next(malformedJson());
    if (type === 'entity.too.large') return next(payloadTooLarge(limit));
    if (type === 'accord.json-too-deep') return next(tooDeep());
    next(error);
  };
}

/** After the parsers: a parsed JSON body with a NUL, a lone surrogate or a `__proto__` key is refused here. */
export function cleanJsonBodies(metrics: Metrics) {
  return (req: Request, _res: Response, next: NextFunction): void => {
    try {
      if (req.body !== null && typeof req.body === 'object') assertCleanJson(req.body);
      assertCleanJson(req.query);
    } catch (error) {
      metrics.abuseRefusals.inc({ reason: 'hostile-input' });
      return next(error);
    }
    next();
  };
}

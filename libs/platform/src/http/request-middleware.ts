import type { NextFunction, Request, Response } from 'express';
import { Metrics } from '../metrics/metrics';
import { assertCleanJson, tooDeep } from './hostile-input';
import { malformedJson, payloadTooLarge } from './request-error';
import { CORRELATION_ID_HEADER, correlationIdFrom, runInRequestContext } from './request-context';
import { finalStatus, routeTemplate } from './request-logging';
import { positionRecorder } from './log-position';

/**
 * First middleware of every request: gives it a correlation id (the caller's if safe, else new), echoes it,
 * runs the rest of the request in its context, and on completion observes the duration by route template.
 * The request's log line is written by requestLogging (request-logging.ts), next in the chain, with this id.
 */
export function requestMiddleware(metrics: Metrics) {
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
      const status = String(finalStatus(res));
      metrics.httpRequestDuration.observe({ method: req.method, route, status }, seconds);
    };
    res.once('finish', finish);
    res.once('close', finish);
    runInRequestContext({ correlationId, appended: positionRecorder(res) }, next);
  };
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

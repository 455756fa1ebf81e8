import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
import { pinoHttp } from 'pino-http';
import { AppLogger } from '../logging/app-logger';

/** Probes scraped every few seconds: logged at debug so they do not drown the request log. */
const QUIET_ROUTES = new Set(['/health', '/health/live', '/health/ready', '/metrics']);

/** The matched route's template (`/documents/:id`), or `unmatched`: bounded, so safe as a metric label. */
export function routeTemplate(req: Request): string {
  const path = (req.route as { path?: unknown } | undefined)?.path;
  return typeof path === 'string' ? `${req.baseUrl ?? ''}${path}` || '/' : 'unmatched';
}

/** The status the client saw: 499 (nginx's "client closed request") when it left before the answer ended. */
export function finalStatus(res: ServerResponse): number {
  return res.writableFinished ? res.statusCode : 499;
}

/**
 * One line per request, by pino-http, on the app's own pino logger: `method`, `route` (the template, never
 * the path or query, which can carry a subject identifier), `status`, `durationMs` and `correlationId`. No
 * headers, no body, no address. Runs after requestMiddleware, which settles the correlation id.
 */
export function requestLogging(logger: AppLogger): RequestHandler {
  const line = (req: IncomingMessage, res: ServerResponse, durationMs: number) => ({
    correlationId: (res as Response).locals?.correlationId as string | undefined,
    method: req.method,
    route: routeTemplate(req as Request),
    status: finalStatus(res),
    durationMs,
  });
  return pinoHttp({
    logger: logger.pino,
    // The correlation id is the request's id; requestMiddleware put it in res.locals.
    genReqId: (_req, res) => String((res as Response).locals?.correlationId ?? ''),
    // pino-http would bind the whole request to `req.log`; nothing here ever logs a path or a header.
    serializers: { req: (req: { method?: string }) => ({ method: req.method }) },
    quietResLogger: true,
    customLogLevel: (req, res, err) => {
      const status = finalStatus(res);
      if (QUIET_ROUTES.has(routeTemplate(req as Request))) return 'debug';
      return err || status >= 500 ? 'warn' : 'info';
    },
    customSuccessMessage: () => 'request',
    customErrorMessage: () => 'request',
    customSuccessObject: (req, res, val: { responseTime?: number }) => line(req, res, val.responseTime ?? 0),
    customErrorObject: (req, res, _err, val: { responseTime?: number }) =>
      line(req, res, val.responseTime ?? 0),
  });
}

import type { ServerResponse } from 'node:http';
import type { Request, RequestHandler, Response } from 'express';
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
 * One line per request on the app's own pino logger: `method`, `route` (the template, never the path or
 * query, which can carry a subject identifier), `status`, `durationMs` and `correlationId`. No headers, no
 * body, no address. Runs after requestMiddleware, which settles the correlation id.
 *
 * Written here rather than by pino-http, which builds a child logger bound to each request (`req.log`) that
 * nothing here uses: about 1% of a small share's CPU (docs/architecture.md §37.1).
 *
 * The line goes through a child of the app's logger without its redaction: every field is built below from
 * the method, the route's template, the status, a duration and the correlation id, so no censored name can be
 * in it. The redaction's wildcard paths copy each logged object: 7.3-7.6 µs and about 18 KB allocated a line,
 * against 1.6-1.7 µs without (pino 10, 100,000 lines, same process; docs/architecture.md §37.17), on every
 * request of every route. Every other line keeps the redaction.
 */
export function requestLogging(logger: AppLogger): RequestHandler {
  const log = logger.pino.child({}, { redact: { paths: [] } });
  return (req, res, next) => {
    const started = Date.now();
    let logged = false;
    // 'finish' when the answer was handed over whole, 'close' alone when the client left first (499).
    const done = () => {
      if (logged) return;
      logged = true;
      res.off('finish', done);
      res.off('close', done);
      const status = finalStatus(res);
      const level = QUIET_ROUTES.has(routeTemplate(req)) ? 'debug' : status >= 500 ? 'warn' : 'info';
      if (!log.isLevelEnabled(level)) return;
      log[level](
        {
          correlationId: (res as Response).locals?.correlationId as string | undefined,
          method: req.method,
          route: routeTemplate(req),
          status,
          durationMs: Date.now() - started,
        },
        'request',
      );
    };
    res.on('finish', done);
    res.on('close', done);
    next();
  };
}

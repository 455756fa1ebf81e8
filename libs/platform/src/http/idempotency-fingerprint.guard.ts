import { CanActivate, ExecutionContext, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { AbuseCounters } from '../abuse/abuse-counters';
import { Metrics } from '../metrics/metrics';
import { BODY_SHA256 } from './hostile-input';
import { idempotencyOf } from './idempotency-key';
import { RequestError } from './request-error';

/** How long a key's body fingerprint is kept: longer than any client's retry horizon. */
export const IDEMPOTENCY_FINGERPRINT_TTL_MS = 24 * 3600 * 1000;

export const idempotencyKeyReused = (): RequestError =>
  new RequestError(
    'idempotency.key-reused',
    422,
    'Idempotency-Key reused',
    'This Idempotency-Key was already used with a different request body; use a new key for a new request.',
  );

/**
 * A retry with the same Idempotency-Key answers as the first request (docs/architecture.md §7); a request
 * with the same key and a *different* body is not a retry but a client bug, and answering it with the first
 * result would silently drop the new request. So the key's scope (method, path, caller) is stored with the
 * SHA-256 of the JSON body it first came with, and a different body is refused with 422. A request that
 * fails (any non-2xx) forgets its fingerprint, so a corrected retry under the same key is accepted.
 *
 * A global guard registered after the auth guard (APP_GUARD), so the scope holds the caller. Multipart
 * uploads have no JSON body to hash before they stream; their key is fingerprinted by the absence of one,
 * and the share handler compares a retry's metadata with the share it recorded.
 * Not an interceptor: any global interceptor makes Nest wrap every request of every route in rxjs and two
 * AsyncResource bindings (about 25 µs each request, docs/architecture.md §37.7), and this check concerns
 * only requests that carry a key.
 */
@Injectable()
export class IdempotencyFingerprintGuard implements CanActivate {
  constructor(
    private readonly counters: AbuseCounters,
    private readonly metrics: Metrics,
  ) {}

  async canActivate(context: ExecutionContext): Promise<boolean> {
    if (context.getType() !== 'http') return true;
    const http = context.switchToHttp();
    const req = http.getRequest<Request & { [BODY_SHA256]?: string }>();
    if (req.method === 'GET' || req.method === 'HEAD') return true;
    const idem = idempotencyOf(req);
    if (idem.key === undefined) return true;
    const key = `idem|${idem.scope}|${idem.key}`;
    const fingerprint = req[BODY_SHA256] ?? 'no-json-body';
    const held = await this.counters.remember(key, fingerprint, IDEMPOTENCY_FINGERPRINT_TTL_MS);
    if (held !== fingerprint) {
      this.metrics.abuseRefusals.inc({ reason: 'idempotency-key-reused' });
      throw idempotencyKeyReused();
    }
    // Whatever answers (the handler, a pipe's 400, the problem filter) has set the status by the time the
    // response closes; a client gone before the answer leaves 200, as the handler may still succeed.
    const counters = this.counters;
    http.getResponse<Response>().once('close', function (this: Response) {
      if (this.statusCode >= 300) void counters.forget(key, fingerprint).catch(() => {});
    });
    return true;
  }
}

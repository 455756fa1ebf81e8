import { CallHandler, ExecutionContext, Injectable, NestInterceptor } from '@nestjs/common';
import type { Request } from 'express';
import { Observable, tap } from 'rxjs';
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
 * Runs after the auth guard, so the scope holds the caller. Multipart uploads have no JSON body to hash
 * before they stream; their key is fingerprinted by the absence of one.
 */
@Injectable()
export class IdempotencyFingerprintInterceptor implements NestInterceptor {
  constructor(
    private readonly counters: AbuseCounters,
    private readonly metrics: Metrics,
  ) {}

  async intercept(context: ExecutionContext, next: CallHandler): Promise<Observable<unknown>> {
    if (context.getType() !== 'http') return next.handle();
    const req = context.switchToHttp().getRequest<Request & { [BODY_SHA256]?: string }>();
    if (req.method === 'GET' || req.method === 'HEAD') return next.handle();
    const idem = idempotencyOf(req);
    if (idem.key === undefined) return next.handle();
    const key = `idem|${idem.scope}|${idem.key}`;
    const fingerprint = req[BODY_SHA256] ?? 'no-json-body';
    const held = await this.counters.remember(key, fingerprint, IDEMPOTENCY_FINGERPRINT_TTL_MS);
    if (held !== fingerprint) {
      this.metrics.abuseRefusals.inc({ reason: 'idempotency-key-reused' });
      throw idempotencyKeyReused();
    }
    return next
      .handle()
      .pipe(tap({ error: () => void this.counters.forget(key, fingerprint).catch(() => {}) }));
  }
}

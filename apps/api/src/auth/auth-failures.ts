import { Inject, Injectable } from '@nestjs/common';
import type { Request, Response } from 'express';
import { ABUSE_COUNTERS, AbuseCounters, ACCORD_CONFIG, LoadedConfig, Metrics } from '@accord/platform';
import { authThrottled } from './auth.errors';

/**
 * Failed authentication is counted per client IP and per token prefix (the first 12 characters sent: a
 * guesser varying the rest of a token shares it), each with its own burst (docs/operations.md). The bearer
 * guard and the sign-in route (POST /session) count into the same windows, so a guesser gains nothing by
 * switching doors.
 */
@Injectable()
export class AuthFailures {
  constructor(
    @Inject(ABUSE_COUNTERS) private readonly counters: AbuseCounters,
    @Inject(ACCORD_CONFIG) private readonly config: LoadedConfig,
    private readonly metrics: Metrics,
  ) {}

  /** The counters a credential's failure goes into; `credential` is what was sent (header or token). */
  keysFor(req: Request, credential: string): [string, number][] {
    const abuse = this.config.abuse;
    const prefix = credential.replace(/^Bearer +/i, '').slice(0, 12);
    return [
      [`auth-fail|ip|${req.ip ?? 'unknown'}`, abuse.authFailuresPerIp],
      [`auth-fail|token|${prefix}`, abuse.authFailuresPerToken],
    ];
  }

  /** 429 auth.throttled with Retry-After when any of the keys is over its burst. */
  async refuseIfThrottled(keys: [string, number][], res: Response): Promise<void> {
    for (const [key, burst] of keys) {
      const { count, resetInMs } = await this.counters.peek(key);
      if (count < burst) continue;
      const seconds = Math.max(1, Math.ceil(resetInMs / 1000));
      res.setHeader('Retry-After', String(seconds));
      this.metrics.abuseRefusals.inc({ reason: 'auth-throttled' });
      throw authThrottled(seconds);
    }
  }

  async count(keys: [string, number][]): Promise<void> {
    const windowMs = this.config.abuse.authFailureWindowSeconds * 1000;
    for (const [key] of keys) await this.counters.add(key, 1, windowMs);
  }
}

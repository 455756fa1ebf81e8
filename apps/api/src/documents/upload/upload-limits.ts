import { Inject, Injectable } from '@nestjs/common';
import type { Request } from 'express';
import { uploadQuotaStreamId } from '@accord/domain';
import { EVENT_STORE, EventStore, eventIdsFor, EventMetaInput } from '@accord/event-store';
import {
  ABUSE_COUNTERS,
  AbuseCounters,
  ACCORD_CONFIG,
  AppLogger,
  LoadedConfig,
  Metrics,
  RequestError,
} from '@accord/platform';

const DAY_MS = 24 * 3600 * 1000;

export const uploadQuotaExceeded = (quota: number, retryAfterSeconds: number): RequestError =>
  new RequestError(
    'documents.upload-quota-exceeded',
    429,
    'Daily upload quota exceeded',
    "Your organisation's uploads today have reached its daily quota; retry after the time in Retry-After.",
    { quotaBytes: quota, retryAfterSeconds },
  );

export const uploadConcurrencyExceeded = (max: number): RequestError =>
  new RequestError(
    'documents.upload-concurrency-exceeded',
    429,
    'Too many uploads at once',
    `Your organisation has ${max} uploads in progress already; retry when one has finished.`,
    { maxConcurrent: max, retryAfterSeconds: 1 },
  );

/**
 * Per-organisation upload limits (issue 12, docs/operations.md): a byte quota per UTC day and a cap on
 * uploads streaming at once. The quota is checked before a byte is read (against what the day has used, plus
 * the request's Content-Length when it states one) and charged with the bytes actually received, so one
 * chunked upload can overshoot it by at most one document (MAX_PAYLOAD_BYTES). A quota refusal is recorded
 * as `UploadQuotaExceeded` once per organisation and day (stream `upload-quota-{orgId}`): the partner's IG
 * lead and the platform see that uploads were refused, not just a metric.
 */
@Injectable()
export class UploadLimits {
  constructor(
    @Inject(ABUSE_COUNTERS) private readonly counters: AbuseCounters,
    @Inject(ACCORD_CONFIG) private readonly config: LoadedConfig,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly metrics: Metrics,
    private readonly logger: AppLogger,
  ) {}

  /**
   * Runs `upload` within the organisation's limits, or refuses it with a 429 problem (the body is then
   * drained unread). Bytes received are charged to the day whatever the outcome.
   */
  async run<T>(req: Request, orgId: string, meta: EventMetaInput, upload: () => Promise<T>): Promise<T> {
    const { uploadBytesPerDay: quota, uploadMaxConcurrent: max } = this.config.abuse;
    const now = Date.parse(meta.occurredAt);
    const day = new Date(now).toISOString().slice(0, 10);
    const dayKey = `upload-bytes|${orgId}|${day}`;
    const used = (await this.counters.peek(dayKey)).count;
    const declared = Number(req.headers['content-length'] ?? 0) || 0;
    if (used >= quota || used + declared > quota) {
      req.resume();
      res(req)?.setHeader('Retry-After', String(secondsToMidnight(now)));
      this.metrics.abuseRefusals.inc({ reason: 'upload-quota' });
      if ((await this.counters.add(`upload-quota-event|${orgId}|${day}`, 1, DAY_MS)).count === 1)
        await this.recordQuotaRefusal(orgId, day, quota, used, meta);
      throw uploadQuotaExceeded(quota, secondsToMidnight(now));
    }
    const slot = `upload-slots|${orgId}`;
    if (!(await this.counters.acquire(slot, max))) {
      req.resume();
      res(req)?.setHeader('Retry-After', '1');
      this.metrics.abuseRefusals.inc({ reason: 'upload-concurrency' });
      throw uploadConcurrencyExceeded(max);
    }
    const before = req.socket?.bytesRead ?? 0;
    try {
      return await upload();
    } finally {
      await this.counters.release(slot);
      // Bytes received on this request's socket while it streamed; the declared length when unknowable.
      const received = Math.max(0, (req.socket?.bytesRead ?? before) - before) || declared;
      await this.counters.add(dayKey, received, DAY_MS);
    }
  }

  private async recordQuotaRefusal(
    orgId: string,
    day: string,
    quota: number,
    used: number,
    meta: EventMetaInput,
  ): Promise<void> {
    // One event per organisation and day: the id derives from both, so later refusals append nothing.
    const [eventId] = eventIdsFor(1, `${orgId}|${day}`, 'upload-quota-exceeded');
    try {
      await this.store.append(
        uploadQuotaStreamId(orgId),
        [
          {
            eventId: eventId!,
            type: 'UploadQuotaExceeded',
            data: { orgId, day, quotaBytes: quota, usedBytes: used },
            meta,
          },
        ],
        'any',
      );
    } catch (error) {
      // The refusal stands whether or not it could be recorded; the metric has counted it.
      this.logger.warn('upload quota refusal not recorded', { orgId, error: String(error) });
    }
  }
}

function res(req: Request): { setHeader(name: string, value: string): unknown } | undefined {
  return req.res;
}

function secondsToMidnight(now: number): number {
  return Math.max(1, Math.ceil((DAY_MS - (now % DAY_MS)) / 1000));
}

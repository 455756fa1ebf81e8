import { createHmac, timingSafeEqual } from 'node:crypto';

export const WEBHOOK_ID_HEADER = 'Accord-Webhook-Id';
export const WEBHOOK_TIMESTAMP_HEADER = 'Accord-Webhook-Timestamp';
export const WEBHOOK_SIGNATURE_HEADER = 'Accord-Signature';
export const WEBHOOK_ATTEMPT_HEADER = 'Accord-Webhook-Attempt';

/** A receiver should refuse a timestamp further than this from its own clock: an old capture replayed. */
export const WEBHOOK_TOLERANCE_SECONDS = 300;

/**
 * `v1=<hex HMAC-SHA256(secret, timestamp + "." + body)>`, the scheme Stripe and Standard Webhooks use:
 * signing the timestamp with the body lets a receiver refuse a replay of a captured request by its age.
 * The key is the secret string as shown at configuration (UTF-8), `whsec_` prefix included.
 */
export function signWebhook(secret: string, timestamp: number, body: string): string {
  return `v1=${createHmac('sha256', secret).update(`${timestamp}.${body}`).digest('hex')}`;
}

export type WebhookVerdict = 'valid' | 'bad-signature' | 'stale-timestamp' | 'malformed';

/** What a receiver does (the README shows the same in a few lines); tests verify deliveries with it. */
export function verifyWebhookSignature(
  secret: string,
  headers: { timestamp: string | undefined; signature: string | undefined },
  body: string,
  nowSeconds: number,
  toleranceSeconds = WEBHOOK_TOLERANCE_SECONDS,
): WebhookVerdict {
  const timestamp = Number(headers.timestamp);
  if (!headers.timestamp || !/^\d+$/.test(headers.timestamp) || !headers.signature) return 'malformed';
  if (Math.abs(nowSeconds - timestamp) > toleranceSeconds) return 'stale-timestamp';
  const expected = Buffer.from(signWebhook(secret, timestamp, body));
  // Several `v1=` values may be sent, comma-separated; one match is enough.
  const matches = headers.signature
    .split(',')
    .map((s) => Buffer.from(s.trim()))
    .some((given) => given.length === expected.length && timingSafeEqual(given, expected));
  return matches ? 'valid' : 'bad-signature';
}

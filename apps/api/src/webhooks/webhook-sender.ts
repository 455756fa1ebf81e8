import { Injectable } from '@nestjs/common';
import { Clock } from '@accord/platform';
import {
  signWebhook,
  WEBHOOK_ATTEMPT_HEADER,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from './webhook-signature';

/** A receiver that has not answered in this long has failed the attempt. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

export interface WebhookPost {
  url: string;
  deliveryId: string;
  attempt: number;
  body: string;
  secret: string;
}

/** An HTTP status, or an error code when no answer came: never a message that could echo the URL. */
export type WebhookResult = { status: number } | { error: string };

/** POSTs one signed notice. Redirects are not followed (a 3xx fails the attempt): the URL was vetted, its target not. */
@Injectable()
export class WebhookSender {
  constructor(private readonly clock: Clock) {}

  async post({ url, deliveryId, attempt, body, secret }: WebhookPost): Promise<WebhookResult> {
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    try {
      const response = await fetch(url, {
        method: 'POST',
        redirect: 'manual',
        signal: AbortSignal.timeout(WEBHOOK_TIMEOUT_MS),
        headers: {
          'content-type': 'application/json',
          'user-agent': 'Accord-Webhooks/1',
          [WEBHOOK_ID_HEADER]: deliveryId,
          [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
          [WEBHOOK_SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
          [WEBHOOK_ATTEMPT_HEADER]: String(attempt),
        },
        body,
      });
      // The answer's body means nothing to us; drop it rather than buffer whatever the receiver sends.
      await response.body?.cancel().catch(() => undefined);
      return { status: response.status };
    } catch (error) {
      return { error: errorCodeOf(error) };
    }
  }
}

export function errorCodeOf(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
  const cause = (error as { cause?: { code?: unknown } } | null)?.cause;
  switch (cause?.code) {
    case 'ECONNREFUSED':
      return 'connection-refused';
    case 'ECONNRESET':
    case 'UND_ERR_SOCKET':
      return 'connection-reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'dns-failure';
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
    case 'UND_ERR_HEADERS_TIMEOUT':
      return 'timeout';
    default:
      return typeof cause?.code === 'string' &&
        /^(ERR_TLS|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED)/.test(cause.code)
        ? 'tls-error'
        : 'network-error';
  }
}

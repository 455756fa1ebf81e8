import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Inject, Injectable, Optional } from '@nestjs/common';
import { ACCORD_CONFIG, Clock, type WebhooksConfig } from '@accord/platform';
import {
  ADDRESS_REFUSED,
  guardedLookup,
  refusesLiteralHost,
  systemResolver,
  type WebhookResolver,
} from './webhook-address-guard';
import {
  signWebhook,
  WEBHOOK_ATTEMPT_HEADER,
  WEBHOOK_ID_HEADER,
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
} from './webhook-signature';

/** A receiver that has not answered in this long (connection and response head together) has failed the attempt. */
export const WEBHOOK_TIMEOUT_MS = 10_000;

/** Injection token for the host-name resolver; the system resolver unless a test supplies one. */
export const WEBHOOK_RESOLVER = Symbol('WEBHOOK_RESOLVER');

export interface WebhookPost {
  url: string;
  deliveryId: string;
  attempt: number;
  body: string;
  secret: string;
}

/** An HTTP status, or an error code when no answer came: never a message that could echo the URL. */
export type WebhookResult = { status: number } | { error: string };

/**
 * POSTs one signed notice. Redirects are not followed (a 3xx fails the attempt): the URL was vetted, its
 * target not. The connection itself refuses a non-public address (webhook-address-guard): the URL policy
 * sees only the name, which may resolve, or rebind between check and connect, to an internal address.
 * A refusal is recorded like any failed attempt (`address-refused`) and retried on the usual schedule,
 * then abandoned: no connection is made, so retrying costs nothing, and a partner's wrong DNS record may
 * be put right within the nine hours the retries span.
 */
@Injectable()
export class WebhookSender {
  constructor(
    private readonly clock: Clock,
    @Inject(ACCORD_CONFIG)
    private readonly config: { webhooks: Pick<WebhooksConfig, 'allowInsecureLocalhost'> },
    @Optional() @Inject(WEBHOOK_RESOLVER) private readonly resolver: WebhookResolver = systemResolver,
  ) {}

  async post({ url, deliveryId, attempt, body, secret }: WebhookPost): Promise<WebhookResult> {
    let target: URL;
    try {
      target = new URL(url);
    } catch {
      return { error: 'url-not-allowed' };
    }
    const guard = { allowInsecureLocalhost: this.config.webhooks.allowInsecureLocalhost };
    if (target.protocol !== 'https:' && target.protocol !== 'http:') return { error: 'url-not-allowed' };
    if (refusesLiteralHost(target.hostname, guard)) return { error: 'address-refused' };
    const timestamp = Math.floor(this.clock.now().getTime() / 1000);
    const send = target.protocol === 'https:' ? httpsRequest : httpRequest;
    return new Promise<WebhookResult>((resolve) => {
      const req = send(target, {
        method: 'POST',
        // A fresh connection each time: every attempt resolves, and is checked, anew.
        agent: false,
        lookup: guardedLookup(guard, this.resolver),
        rejectUnauthorized: true,
        headers: {
          'content-type': 'application/json',
          'content-length': Buffer.byteLength(body),
          'user-agent': 'Accord-Webhooks/1',
          [WEBHOOK_ID_HEADER]: deliveryId,
          [WEBHOOK_TIMESTAMP_HEADER]: String(timestamp),
          [WEBHOOK_SIGNATURE_HEADER]: signWebhook(secret, timestamp, body),
          [WEBHOOK_ATTEMPT_HEADER]: String(attempt),
        },
      });
      const timer = setTimeout(
        () => req.destroy(Object.assign(new Error('webhook timed out'), { name: 'TimeoutError' })),
        WEBHOOK_TIMEOUT_MS,
      );
      const settle = (result: WebhookResult) => {
        clearTimeout(timer);
        resolve(result);
      };
      req.on('response', (res) => {
        settle({ status: res.statusCode ?? 0 });
        // The answer's body means nothing to us; close rather than read whatever the receiver sends.
        res.destroy();
      });
      req.on('error', (error) => settle({ error: errorCodeOf(error) }));
      req.end(body);
    });
  }
}

export function errorCodeOf(error: unknown): string {
  const name = (error as { name?: unknown } | null)?.name;
  if (name === 'TimeoutError' || name === 'AbortError') return 'timeout';
  const own = (error as { code?: unknown } | null)?.code;
  const code = own ?? (error as { cause?: { code?: unknown } } | null)?.cause?.code;
  switch (code) {
    case ADDRESS_REFUSED:
      return 'address-refused';
    case 'ECONNREFUSED':
      return 'connection-refused';
    case 'ECONNRESET':
    case 'EPIPE':
      return 'connection-reset';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'dns-failure';
    case 'ETIMEDOUT':
      return 'timeout';
    default:
      return typeof code === 'string' &&
        /^(ERR_TLS|ERR_SSL|EPROTO|CERT_|UNABLE_TO|DEPTH_ZERO|SELF_SIGNED)/.test(code)
        ? 'tls-error'
        : 'network-error';
  }
}

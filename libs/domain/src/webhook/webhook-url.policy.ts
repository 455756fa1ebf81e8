import { webhookFail } from './webhook.errors';

export const MAX_WEBHOOK_URL_LENGTH = 2048;

export interface WebhookUrlOptions {
  /** Plain http to this machine, for tests and local receivers (ACCORD_WEBHOOK_ALLOW_INSECURE_LOCALHOST). */
  allowInsecureLocalhost: boolean;
}

const LOCAL_HOSTS = ['localhost', '127.0.0.1', '[::1]'];

/**
 * The URL a breach notice is POSTed to, normalised, or a `webhook.url-invalid` refusal. Breach notices
 * travel only over TLS; credentials in the URL would sit in the event log; and a literal loopback, private
 * or link-local address would let a partner make the platform call into its own network (SSRF), so those
 * are refused unless local http is allowed. Host names are not resolved here (the domain does no I/O).
 */
export function checkWebhookUrl(raw: unknown, options: WebhookUrlOptions): string {
  if (typeof raw !== 'string' || raw.trim() === '' || raw.length > MAX_WEBHOOK_URL_LENGTH)
    throw webhookFail(
      'webhook.url-invalid',
      `a URL of 1 to ${MAX_WEBHOOK_URL_LENGTH} characters is required`,
    );
  let url: URL;
  try {
    url = new URL(raw.trim());
  } catch {
    throw webhookFail('webhook.url-invalid', 'not an absolute URL');
  }
  if (url.username !== '' || url.password !== '')
    throw webhookFail('webhook.url-invalid', 'credentials in the URL are not accepted');
  if (url.hash !== '') throw webhookFail('webhook.url-invalid', 'a fragment is not accepted');
  if (url.protocol !== 'http:' && url.protocol !== 'https:')
    throw webhookFail('webhook.url-invalid', 'the URL must use https');
  if (LOCAL_HOSTS.includes(url.hostname)) {
    if (options.allowInsecureLocalhost) return url.toString();
    throw webhookFail('webhook.url-invalid', 'loopback addresses are not accepted');
  }
  if (url.protocol !== 'https:') throw webhookFail('webhook.url-invalid', 'the URL must use https');
  if (isInternalAddress(url.hostname))
    throw webhookFail('webhook.url-invalid', 'loopback, private and link-local addresses are not accepted');
  return url.toString();
}

/** IPv4 literals in 0/8, 10/8, 127/8, 169.254/16, 172.16/12, 192.168/16, 100.64/10; any IPv6 literal but public. */
function isInternalAddress(host: string): boolean {
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return (
      a === 0 ||
      a === 10 ||
      a === 127 ||
      (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) ||
      (a === 192 && b === 168) ||
      (a === 100 && b >= 64 && b <= 127)
    );
  }
  if (host.startsWith('[')) {
    const v6 = host.slice(1, -1).toLowerCase();
    // Loopback, unspecified, unique-local (fc00::/7), link-local (fe80::/10), IPv4-mapped.
    return (
      v6 === '::1' || v6 === '::' || /^f[cd]/.test(v6) || /^fe[89ab]/.test(v6) || v6.startsWith('::ffff:')
    );
  }
  return false;
}

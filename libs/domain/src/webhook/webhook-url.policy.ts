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
 * are refused unless local http is allowed. Host names are not resolved here (the domain does no I/O): the
 * sender applies `addressKind` to every address a name resolves to, at connection time.
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
  if (isIpLiteral(url.hostname) && addressKind(url.hostname) !== 'public')
    throw webhookFail('webhook.url-invalid', 'loopback, private and link-local addresses are not accepted');
  return url.toString();
}

/** What an IP address is for; anything but `public` is refused as a webhook target. */
export type AddressKind =
  | 'public'
  | 'loopback'
  | 'private'
  | 'link-local'
  | 'unique-local'
  | 'unspecified'
  | 'multicast'
  | 'reserved';

/** An IPv4 dotted quad, or an IPv6 address with or without brackets (as URL host names carry it). */
export function isIpLiteral(host: string): boolean {
  return parseIpv4(host) !== undefined || parseIpv6(unbracket(host)) !== undefined;
}

/**
 * Classifies an IP address (bracketed IPv6 and a `%zone` suffix accepted). IPv6 forms that carry an IPv4
 * address (mapped ::ffff:0:0/96, compatible ::/96, NAT64 64:ff9b::/96, 6to4 2002::/16) are classified by
 * that IPv4 address: they reach it. IPv6 outside global unicast (2000::/3) is never public. Documentation
 * ranges (192.0.2/24, 203.0.113/24, 2001:db8::/32) are left public: nothing routes to them. Something
 * that is not an address at all reads as `reserved`, so a caller that forgets to check fails closed.
 */
export function addressKind(address: string): AddressKind {
  const v4 = parseIpv4(address);
  if (v4) return ipv4Kind(v4);
  const v6 = parseIpv6(unbracket(address));
  return v6 ? ipv6Kind(v6) : 'reserved';
}

function ipv4Kind([a, b]: number[]): AddressKind {
  if (a === undefined || b === undefined) return 'reserved';
  if (a === 0) return 'unspecified'; // "this network": connecting to 0.0.0.0 reaches this host
  if (a === 127) return 'loopback';
  if (a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168)) return 'private';
  if (a === 100 && b >= 64 && b <= 127) return 'private'; // shared address space (CGNAT), RFC 6598
  if (a === 169 && b === 254) return 'link-local'; // cloud metadata services live here
  if (a >= 224 && a <= 239) return 'multicast';
  // IETF protocol assignments 192.0.0/24, benchmarking 198.18/15, future use and broadcast 240/4.
  if ((a === 192 && b === 0) || (a === 198 && (b === 18 || b === 19)) || a >= 240) return 'reserved';
  return 'public';
}

function ipv6Kind(g: number[]): AddressKind {
  const [g0 = 0, g1 = 0, g2 = 0, g3 = 0, g4 = 0, g5 = 0, g6 = 0, g7 = 0] = g;
  const embedded = (hi: number, lo: number) => ipv4Kind([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]);
  const zeroTo = (n: number) => g.slice(0, n).every((x) => x === 0);
  if (zeroTo(8)) return 'unspecified';
  if (zeroTo(7) && g7 === 1) return 'loopback';
  if (zeroTo(5) && g5 === 0xffff) return embedded(g6, g7);
  if (zeroTo(6)) return embedded(g6, g7);
  if (g0 === 0x64 && g1 === 0xff9b && g2 === 0 && g3 === 0 && g4 === 0 && g5 === 0) return embedded(g6, g7);
  if (g0 === 0x2002) return embedded(g1, g2);
  if ((g0 & 0xfe00) === 0xfc00) return 'unique-local';
  if ((g0 & 0xffc0) === 0xfe80) return 'link-local';
  if ((g0 & 0xffc0) === 0xfec0) return 'private'; // deprecated site-local
  if ((g0 & 0xff00) === 0xff00) return 'multicast';
  // Teredo (2001::/32) tunnels to an IPv4 address we cannot check; NAT64 local-use 64:ff9b:1::/48.
  if (g0 === 0x2001 && g1 === 0) return 'reserved';
  if ((g0 & 0xe000) !== 0x2000) return g0 === 0x64 && g1 === 0xff9b && g2 === 1 ? 'private' : 'reserved';
  return 'public';
}

function unbracket(host: string): string {
  return host.startsWith('[') && host.endsWith(']') ? host.slice(1, -1) : host;
}

/** Strict dotted decimal only: URL parsing has already turned 0x7f.1 and friends into this form. */
function parseIpv4(text: string): number[] | undefined {
  const parts = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(text);
  if (!parts) return undefined;
  const octets = parts.slice(1).map(Number);
  return octets.every((o) => o <= 255) ? octets : undefined;
}

/** Eight 16-bit groups, or undefined when `text` is not an IPv6 address. */
function parseIpv6(text: string): number[] | undefined {
  let s = text.toLowerCase();
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  const lastColon = s.lastIndexOf(':');
  if (lastColon < 0) return undefined;
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIpv4(tail);
    if (!v4) return undefined;
    const [a = 0, b = 0, c = 0, d = 0] = v4;
    s = `${s.slice(0, lastColon + 1)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const halves = s.split('::');
  if (halves.length > 2) return undefined;
  const groups = (part: string): number[] =>
    part === '' ? [] : part.split(':').map((h) => (/^[0-9a-f]{1,4}$/.test(h) ? parseInt(h, 16) : NaN));
  const head = groups(halves[0] ?? '');
  const rest = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if ([...head, ...rest].some(Number.isNaN)) return undefined;
  if (halves.length === 1) return head.length === 8 ? head : undefined;
  const missing = 8 - head.length - rest.length;
  return missing >= 1 ? [...head, ...new Array<number>(missing).fill(0), ...rest] : undefined;
}

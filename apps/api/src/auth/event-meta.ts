import { randomUUID } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { Request } from 'express';
import type { ClientInfo, EventMetaInput } from '@accord/event-store';
import { CLIENT_COUNTRY_HEADER_SETTING, currentRequestContext, type Clock } from '@accord/platform';
import { PLATFORM_ORGANISATION_ID } from '@accord/projections';
import type { Caller } from './caller';

/**
 * The envelope metadata of every event a request appends, built the same way by every feature: when, who
 * (user, organisation, role), the request's correlation id, and the client it came from.
 */
export function eventMetaFor(
  caller: Caller,
  req: Request,
  clock: Pick<Clock, 'nowIso'>,
  options: { causationId?: string } = {},
): EventMetaInput {
  return {
    occurredAt: clock.nowIso(),
    // The admin's events name the platform as the acting party, as its enrolment does.
    actor: { userId: caller.userId, orgId: caller.orgId ?? PLATFORM_ORGANISATION_ID, role: caller.role },
    correlationId: correlationIdOf(req),
    ...(options.causationId ? { causationId: options.causationId } : {}),
    client: clientOf(req),
    // Whoever issued the token acted through its holder: the record names them too (issue 12).
    ...(caller.tokenIssuer !== undefined ? { tokenIssuer: caller.tokenIssuer } : {}),
  };
}

export function correlationIdOf(req: Request): string {
  const fromResponse = (req.res?.locals as { correlationId?: unknown } | undefined)?.correlationId;
  return (
    currentRequestContext()?.correlationId ??
    (typeof fromResponse === 'string' ? fromResponse : undefined) ??
    randomUUID()
  );
}

/** `req.ip` is the client's address once Express trusts the proxy in front (configured TRUSTED_PROXIES). */
export function clientOf(req: Request): ClientInfo {
  const ip = req.ip ?? req.socket?.remoteAddress ?? 'unknown';
  return { ip, country: clientCountryOf(req, ip) };
}

const OWN_NETWORK = new BlockList();
OWN_NETWORK.addSubnet('127.0.0.0', 8, 'ipv4');
OWN_NETWORK.addSubnet('10.0.0.0', 8, 'ipv4');
OWN_NETWORK.addSubnet('172.16.0.0', 12, 'ipv4');
OWN_NETWORK.addSubnet('192.168.0.0', 16, 'ipv4');
OWN_NETWORK.addAddress('::1', 'ipv6');
OWN_NETWORK.addSubnet('fc00::', 7, 'ipv6');
OWN_NETWORK.addSubnet('fe80::', 10, 'ipv6');

/**
 * docs/architecture.md §15.4: a request whose immediate peer is a trusted proxy (TRUSTED_PROXIES) may state
 * the client's country in CLIENT_COUNTRY_HEADER (ISO 3166-1 alpha-2); from anyone else the header is ignored,
 * so a client cannot claim to be in the UK. Without a stated country, a loopback or private address is the
 * platform's own network (GB) and any other address is `unknown` (the UK-only checks refuse it).
 */
export function clientCountryOf(req: Request, ip: string): string {
  const stated = statedCountryOf(req);
  if (stated !== undefined) return stated;
  const plain = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  const family = isIP(plain);
  if (family === 0) return 'unknown';
  return OWN_NETWORK.check(plain, family === 4 ? 'ipv4' : 'ipv6') ? 'GB' : 'unknown';
}

/** The trusted proxy's statement: a well-formed code, or `unknown` for a malformed one; undefined if none. */
function statedCountryOf(req: Request): string | undefined {
  const header = req.app?.get(CLIENT_COUNTRY_HEADER_SETTING) as string | undefined;
  const trusts = req.app?.get('trust proxy fn') as ((addr: string, hop: number) => boolean) | undefined;
  const peer = req.socket?.remoteAddress;
  if (!header || !trusts || !peer || !trusts(peer, 0)) return undefined;
  const raw = req.headers[header];
  const value = (Array.isArray(raw) ? raw[0] : raw)?.trim().toUpperCase();
  if (value === undefined || value === '') return undefined;
  return /^[A-Z]{2}$/.test(value) ? value : 'unknown';
}

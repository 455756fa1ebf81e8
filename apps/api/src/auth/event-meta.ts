import { randomUUID } from 'node:crypto';
import { BlockList, isIP } from 'node:net';
import type { Request } from 'express';
import type { ClientInfo, EventMetaInput } from '@accord/event-store';
import { currentRequestContext, type Clock } from '@accord/platform';
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
 * ARCHITECTURE 5.1: a loopback or private address is the platform's own network (GB); any other address
 * with no known country is `unknown` (the UK-only checks refuse it).
 * TODO(exchange issue): read the country a trusted proxy states in CLIENT_COUNTRY_HEADER.
 */
export function clientCountryOf(_req: Request, ip: string): string {
  const plain = ip.startsWith('::ffff:') && isIP(ip.slice(7)) === 4 ? ip.slice(7) : ip;
  const family = isIP(plain);
  if (family === 0) return 'unknown';
  return OWN_NETWORK.check(plain, family === 4 ? 'ipv4' : 'ipv6') ? 'GB' : 'unknown';
}

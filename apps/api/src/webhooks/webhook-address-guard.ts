import { promises as dns, type LookupAddress } from 'node:dns';
import type { LookupFunction } from 'node:net';
import { addressKind, isIpLiteral } from '@accord/domain';

/** Every address a host name resolves to, as `dns.lookup(name, { all: true })` answers. */
export type WebhookResolver = (hostname: string) => Promise<LookupAddress[]>;

export const systemResolver: WebhookResolver = (hostname) =>
  dns.lookup(hostname, { all: true, verbatim: true });

export interface AddressGuardOptions {
  /** As for the URL policy: the names of this machine may be called, and only at a loopback address. */
  allowInsecureLocalhost: boolean;
}

/** The one refusal code this guard raises; the sender turns it into the `address-refused` outcome. */
export const ADDRESS_REFUSED = 'ACCORD_ADDRESS_REFUSED';

/** Carries neither the host nor the address: the URL may hold a token and logs must not echo it. */
export class AddressRefusedError extends Error {
  readonly code = ADDRESS_REFUSED;
  constructor() {
    super('the webhook host resolves to an address that is not public');
    this.name = 'AddressRefusedError';
  }
}

const LOCAL_NAMES = new Set(['localhost', '127.0.0.1', '::1', '[::1]']);

/** Whether a connection to `address`, reached through `hostname` (a name or the literal itself), may be made. */
export function addressAllowed(hostname: string, address: string, options: AddressGuardOptions): boolean {
  const kind = addressKind(address);
  if (kind === 'public') return true;
  return options.allowInsecureLocalhost && kind === 'loopback' && LOCAL_NAMES.has(hostname.toLowerCase());
}

/**
 * A URL host that is an IP literal never reaches a `lookup` (node connects to it directly), so it is
 * checked here: true when it is a literal the guard refuses; false for an allowed literal or a name.
 */
export function refusesLiteralHost(hostname: string, options: AddressGuardOptions): boolean {
  return isIpLiteral(hostname) && !addressAllowed(hostname, hostname, options);
}

/**
 * The `lookup` for node's http(s) `request()`: resolves the name once, and refuses the connection if ANY
 * address is not public. Checking the addresses the socket then connects to (rather than resolving once
 * to check and again to connect) is what defeats DNS rebinding; refusing on any, rather than dropping the
 * bad ones, fails closed on a name that mixes a public decoy with an internal target.
 */
export function guardedLookup(
  options: AddressGuardOptions,
  resolve: WebhookResolver = systemResolver,
): LookupFunction {
  return (hostname, lookupOptions, callback) => {
    resolve(hostname).then(
      (addresses) => {
        if (addresses.length === 0)
          return callback(Object.assign(new Error('no address'), { code: 'ENOTFOUND' }), '', 0);
        if (addresses.some(({ address }) => !addressAllowed(hostname, address, options)))
          return callback(new AddressRefusedError(), '', 0);
        const family = familyOf(lookupOptions.family);
        const usable = family === 0 ? addresses : addresses.filter((a) => a.family === family);
        const first = usable[0];
        if (!first) return callback(Object.assign(new Error('no address'), { code: 'ENOTFOUND' }), '', 0);
        // Node asks for all addresses when it races IPv4 and IPv6 (autoSelectFamily), for one otherwise.
        return lookupOptions.all ? callback(null, usable) : callback(null, first.address, first.family);
      },
      (error: NodeJS.ErrnoException) => callback(error, '', 0),
    );
  };
}

function familyOf(family: number | 'IPv4' | 'IPv6' | undefined): 0 | 4 | 6 {
  if (family === 4 || family === 'IPv4') return 4;
  if (family === 6 || family === 'IPv6') return 6;
  return 0;
}

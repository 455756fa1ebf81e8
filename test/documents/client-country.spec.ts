import express from 'express';
import type { Request } from 'express';
import { CLIENT_COUNTRY_HEADER_SETTING } from '@accord/platform';
import { clientOf } from '../../apps/api/src/auth/event-meta';

/** The client-country rule of docs/architecture.md §15.4, on requests as Express hands them to the api. */
function request(
  trustedProxies: string[],
  peer: string,
  headers: Record<string, string> = {},
  forwardedIp?: string,
) {
  const app = express();
  app.set('trust proxy', trustedProxies);
  app.set(CLIENT_COUNTRY_HEADER_SETTING, 'x-client-country');
  return { app, socket: { remoteAddress: peer }, headers, ip: forwardedIp ?? peer } as unknown as Request;
}

describe('client country (trusted proxy header, else own network)', () => {
  it('a trusted proxy states the country: GB is GB, lower case is read as upper', () => {
    expect(clientOf(request(['loopback'], '127.0.0.1', { 'x-client-country': 'GB' })).country).toBe('GB');
    expect(clientOf(request(['loopback'], '127.0.0.1', { 'x-client-country': 'fr' })).country).toBe('FR');
  });
  it('a malformed statement from a trusted proxy is unknown, never GB', () => {
    expect(
      clientOf(request(['loopback'], '127.0.0.1', { 'x-client-country': 'United Kingdom' })).country,
    ).toBe('unknown');
  });
  it('the header from a peer that is not a trusted proxy is ignored: a client cannot claim GB', () => {
    const fromInternet = request(['10.0.0.0/8'], '203.0.113.7', { 'x-client-country': 'GB' });
    expect(clientOf(fromInternet)).toEqual({ ip: '203.0.113.7', country: 'unknown' });
    const fromLoopback = request(['10.0.0.0/8'], '127.0.0.1', { 'x-client-country': 'FR' });
    expect(clientOf(fromLoopback).country).toBe('GB');
  });
  it('without a statement: a loopback or private address is the platform’s own network, anything else unknown', () => {
    expect(clientOf(request(['loopback'], '::ffff:192.168.1.20')).country).toBe('GB');
    expect(clientOf(request(['loopback'], '::1')).country).toBe('GB');
    expect(clientOf(request(['loopback'], '127.0.0.1', {}, '198.51.100.4')).country).toBe('unknown');
  });
});

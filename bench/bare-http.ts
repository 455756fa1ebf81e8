import { createHash } from 'node:crypto';
import type { ServerResponse } from 'node:http';

/**
 * What the bench's bare node:http servers (framework-app.ts, raw-http-app.ts) share: the api guard's token check
 * without its framework, and a JSON answer with nothing else around it.
 */

export function sha256(text: string): string {
  return createHash('sha256').update(text).digest('hex');
}

/** The SHA-256 of an `Authorization: Bearer` header's token, as the api's guard looks a token up; undefined without one. */
export function bearerTokenHash(authorization: string | undefined): string | undefined {
  const token = /^Bearer +(\S+) *$/i.exec(authorization ?? '')?.[1];
  return token === undefined ? undefined : sha256(token);
}

export function sendJson(res: ServerResponse, status: number, body: unknown): void {
  const text = JSON.stringify(body);
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(text),
  });
  res.end(text);
}

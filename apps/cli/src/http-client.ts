import { randomUUID } from 'node:crypto';
import { CliError, exitCodeForStatus, noTokenError, unreachableError } from './cli-error';
import type { ClientSettings } from './cli-config';
import { logPositions, POSITION_HEADER } from './log-position';

export interface ApiCallOptions {
  body?: unknown;
  /** Sent on every state-changing call, so a retry of this invocation appends nothing twice. */
  idempotencyKey?: string;
}

/**
 * One call to the Accord API. A problem+json answer becomes a CliError of one line (title, detail, and the
 * fields of a validation failure), never a stack; a server that cannot be reached says which URL.
 */
export async function callApi<T>(
  settings: ClientSettings,
  method: string,
  path: string,
  options: ApiCallOptions = {},
): Promise<T> {
  if (!settings.token) {
    throw noTokenError();
  }
  const headers: Record<string, string> = {
    authorization: `Bearer ${settings.token}`,
    accept: 'application/json',
    ...logPositions().headers(settings.url),
  };
  if (options.body !== undefined) headers['content-type'] = 'application/json';
  if (method !== 'GET') headers['idempotency-key'] = options.idempotencyKey ?? randomUUID();
  let res: Response;
  try {
    res = await fetch(settings.url + path, {
      method,
      headers,
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
  } catch {
    throw unreachableError(settings.url);
  }
  logPositions().note(settings.url, res.headers.get(POSITION_HEADER));
  const text = await res.text();
  const parsed = parseJson(text);
  if (!res.ok) throw new CliError(problemLine(res.status, parsed), exitCodeForStatus(res.status));
  return parsed as T;
}

function parseJson(text: string): unknown {
  if (text === '') return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

/** `Title: detail (type)`: the problem's own words, which never carry personal data. */
export function problemLine(status: number, body: unknown): string {
  if (body === null || typeof body !== 'object') return `the server answered ${status}`;
  const p = body as { title?: unknown; detail?: unknown; type?: unknown; errors?: unknown };
  const code = typeof p.type === 'string' ? p.type.split('/').pop() : undefined;
  const fields = Array.isArray(p.errors)
    ? p.errors
        .map(
          (e: { pointer?: unknown; detail?: unknown }) =>
            `${String(e.pointer ?? '')} ${String(e.detail ?? '')}`,
        )
        .join('; ')
    : '';
  const title = typeof p.title === 'string' ? p.title : `HTTP ${status}`;
  const detail = typeof p.detail === 'string' && p.detail !== title ? `: ${p.detail}` : '';
  return `${title}${detail}${fields ? ` (${fields})` : ''}${code ? ` [${code}]` : ''}`;
}

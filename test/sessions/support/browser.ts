/**
 * A browser without a browser: plain fetch with the cookie jar kept by hand, so tests see every status,
 * header and Set-Cookie. It sends no Authorization header, as a page at /app does not.
 */
export interface BrowserReply {
  status: number;
  headers: Headers;
  setCookies: string[];
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  body: any;
}

export class CookieBrowser {
  readonly cookies = new Map<string, string>();

  constructor(public url: string) {}

  async signIn(token: string): Promise<BrowserReply> {
    return this.send('POST', '/session', { body: { token } });
  }

  async send(
    method: string,
    path: string,
    options: { body?: unknown; headers?: Record<string, string> } = {},
  ): Promise<BrowserReply> {
    const headers: Record<string, string> = { ...options.headers };
    if (this.cookies.size > 0) headers['cookie'] = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    if (options.body !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.url + path, {
      method,
      headers,
      redirect: 'manual',
      ...(options.body !== undefined ? { body: JSON.stringify(options.body) } : {}),
    });
    const setCookies = res.headers.getSetCookie();
    for (const c of setCookies) {
      const [pair] = c.split(';');
      const eq = pair!.indexOf('=');
      const name = pair!.slice(0, eq);
      const value = pair!.slice(eq + 1);
      if (value === '' || /max-age=0/i.test(c)) this.cookies.delete(name);
      else this.cookies.set(name, value);
    }
    const text = await res.text();
    const type = res.headers.get('content-type') ?? '';
    return {
      status: res.status,
      headers: res.headers,
      setCookies,
      body: /json/.test(type) && text ? JSON.parse(text) : text,
    };
  }

  get session(): string | undefined {
    return this.cookies.get('accord_session');
  }
}

/** The problem type's last segment: `.../problems/auth.csrf` -> `auth.csrf`. */
export const codeOf = (reply: BrowserReply): string | undefined =>
  typeof reply.body?.type === 'string' ? reply.body.type.split('/').pop() : undefined;

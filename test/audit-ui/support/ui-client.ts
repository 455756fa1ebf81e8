/**
 * A browser-less client of the audit web view: plain fetch, redirects not followed, cookies kept by hand,
 * so the tests see every status, Location and Set-Cookie the server sends.
 */
export interface UiReply {
  status: number;
  location: string | null;
  setCookies: string[];
  html: string;
  headers: Headers;
}

export class UiClient {
  private readonly cookies = new Map<string, string>();

  constructor(readonly url: string) {}

  async get(path: string): Promise<UiReply> {
    return this.send('GET', path);
  }

  async post(
    path: string,
    fields: Record<string, string>,
    contentType = 'application/x-www-form-urlencoded',
  ): Promise<UiReply> {
    return this.send('POST', path, new URLSearchParams(fields).toString(), contentType);
  }

  /** GET the form, then POST the token with the form's nonce: what a browser does. */
  async login(token: string): Promise<UiReply> {
    const form = await this.get('/audit/ui/login');
    return this.post('/audit/ui/login', { nonce: fieldOf(form.html, 'nonce') ?? '', token });
  }

  /** The page's CSRF token, from the logout form every signed-in page carries. */
  async csrf(): Promise<string> {
    const page = await this.get('/audit/ui');
    const csrf = fieldOf(page.html, '_csrf');
    if (!csrf) throw new Error(`no csrf field (status ${page.status})`);
    return csrf;
  }

  cookie(name: string): string | undefined {
    return this.cookies.get(name);
  }

  setCookie(name: string, value: string): void {
    this.cookies.set(name, value);
  }

  private async send(method: string, path: string, body?: string, contentType?: string): Promise<UiReply> {
    const headers: Record<string, string> = {};
    if (this.cookies.size > 0) {
      headers['cookie'] = [...this.cookies].map(([k, v]) => `${k}=${v}`).join('; ');
    }
    if (contentType) headers['content-type'] = contentType;
    const res = await fetch(this.url + path, {
      method,
      headers,
      redirect: 'manual',
      ...(body ? { body } : {}),
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
    return {
      status: res.status,
      location: res.headers.get('location'),
      setCookies,
      html: await res.text(),
      headers: res.headers,
    };
  }
}

export function fieldOf(html: string, name: string): string | undefined {
  return new RegExp(`name="${name}" value="([^"]*)"`).exec(html)?.[1];
}

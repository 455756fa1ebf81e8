/** A small HTTP client for the demo's walk against its own in-process api. */
export interface DemoReply {
  status: number;
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- shapes are read where used
  body: any;
}

export class DemoClient {
  constructor(
    readonly url: string,
    readonly token?: string,
  ) {}

  as(token: string): DemoClient {
    return new DemoClient(this.url, token);
  }

  async request(method: string, path: string, json?: unknown): Promise<DemoReply> {
    const headers: Record<string, string> = {};
    if (this.token) headers['authorization'] = `Bearer ${this.token}`;
    if (json !== undefined) headers['content-type'] = 'application/json';
    const res = await fetch(this.url + path, {
      method,
      headers,
      ...(json !== undefined ? { body: JSON.stringify(json) } : {}),
    });
    return { status: res.status, body: await bodyOf(res) };
  }

  /** Like request(), but the walk stops with the problem's type unless the status is `expected`. */
  async ok(expected: number, method: string, path: string, json?: unknown): Promise<DemoReply> {
    const reply = await this.request(method, path, json);
    if (reply.status !== expected) {
      const type = typeof reply.body?.type === 'string' ? reply.body.type : JSON.stringify(reply.body);
      throw new Error(`${method} ${path}: expected ${expected}, got ${reply.status} ${type}`);
    }
    return reply;
  }

  /** POST /documents as multipart: the `metadata` part, then the ciphertext as the `payload` part. */
  async share(metadata: unknown, ciphertext: Uint8Array): Promise<DemoReply> {
    const form = new FormData();
    form.append('metadata', JSON.stringify(metadata));
    form.append('payload', new Blob([ciphertext]), 'case-note.pgp');
    const res = await fetch(`${this.url}/documents`, {
      method: 'POST',
      headers: this.token ? { authorization: `Bearer ${this.token}` } : {},
      body: form,
    });
    return { status: res.status, body: await bodyOf(res) };
  }

  /** GET a document's content: the bytes when 200, else the problem. `headers` e.g. a proxy's client country. */
  async content(
    documentId: string,
    headers: Record<string, string> = {},
  ): Promise<{ status: number; bytes: Buffer; problem?: DemoReply['body'] }> {
    const res = await fetch(`${this.url}/documents/${documentId}/content`, {
      headers: this.token ? { ...headers, authorization: `Bearer ${this.token}` } : headers,
    });
    const bytes = Buffer.from(await res.arrayBuffer());
    const problem = /json/.test(res.headers.get('content-type') ?? '')
      ? JSON.parse(bytes.toString('utf8'))
      : undefined;
    return { status: res.status, bytes, problem };
  }
}

async function bodyOf(res: Response): Promise<unknown> {
  const text = await res.text();
  return /json/.test(res.headers.get('content-type') ?? '') && text ? JSON.parse(text) : text;
}

/** A small stream's bytes (the demo's notes are a few hundred bytes). */
export async function collect(stream: NodeJS.ReadableStream): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(Buffer.from(chunk as Uint8Array));
  return Buffer.concat(chunks);
}

/** The last segment of a problem's type URI, e.g. `open.processing-restricted`. */
export function problemCode(problem: DemoReply['body']): string {
  return (
    String(problem?.type ?? '')
      .split('/')
      .pop() ?? ''
  );
}

/**
 * Asks `probe` every `intervalMs` until it answers something, for at most `timeoutMs`: for what the platform
 * does on its own after a request (detection, webhook delivery), without sleeping a fixed guess.
 */
export async function pollFor<T>(
  probe: () => Promise<T | undefined> | T | undefined,
  { timeoutMs = 5_000, intervalMs = 25 }: { timeoutMs?: number; intervalMs?: number } = {},
): Promise<T | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() >= deadline) return undefined;
    await new Promise((resolve) => setTimeout(resolve, intervalMs));
  }
}

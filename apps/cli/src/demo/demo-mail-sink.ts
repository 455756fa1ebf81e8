import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

/** One message as a mail client would show it: who it went to, its headers decoded, its text body decoded. */
export interface DemoEmail {
  to: string[];
  subject: string;
  messageId: string;
  body: string;
}

/**
 * A local mailbox for the demo: a real SMTP server (the `smtp-server` package) on 127.0.0.1 inside the demo's
 * process, which the api is configured to send through (SMTP_URL). It accepts every message and keeps it, so
 * the demo can print what a recipient received. Plain SMTP, no authentication: it listens on loopback only.
 */
export class DemoMailSink {
  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
    /** Every message accepted, in order. */
    readonly received: DemoEmail[],
  ) {}

  static async start(): Promise<DemoMailSink> {
    const received: DemoEmail[] = [];
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (chunk: Buffer) => chunks.push(chunk));
        stream.on('error', (error: Error) => callback(error));
        stream.on('end', () => {
          const parsed = parseMessage(Buffer.concat(chunks).toString('utf8'));
          received.push({ to: session.envelope.rcptTo.map((r) => r.address), ...parsed });
          callback();
        });
      },
    });
    await new Promise<void>((resolve, reject) => {
      server.server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new DemoMailSink(server, (server.server.address() as AddressInfo).port, received);
  }

  get url(): string {
    return `smtp://127.0.0.1:${this.port}`;
  }

  close(): Promise<void> {
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/** Headers unfolded and RFC 2047 words decoded; the body decoded from quoted-printable or base64. */
export function parseMessage(raw: string): Omit<DemoEmail, 'to'> {
  const split = /\r?\n\r?\n/.exec(raw);
  const headText = split ? raw.slice(0, split.index) : raw;
  const bodyText = split ? raw.slice(split.index + split[0].length) : '';
  const headers = new Map<string, string>();
  for (const line of headText.replace(/\r?\n[ \t]+/g, ' ').split(/\r?\n/)) {
    const colon = line.indexOf(':');
    if (colon > 0) headers.set(line.slice(0, colon).trim().toLowerCase(), line.slice(colon + 1).trim());
  }
  const encoding = (headers.get('content-transfer-encoding') ?? '7bit').toLowerCase();
  let body: string;
  if (encoding === 'quoted-printable')
    body = quotedPrintable(bodyText.replace(/=\r?\n/g, '')).toString('utf8');
  else if (encoding === 'base64') body = Buffer.from(bodyText.replace(/\s+/g, ''), 'base64').toString('utf8');
  else body = bodyText;
  return {
    subject: encodedWords(headers.get('subject') ?? ''),
    messageId: headers.get('message-id') ?? '',
    body: body.replace(/\r\n/g, '\n'),
  };
}

/** `=XX` escapes to their bytes (multi-byte UTF-8 sequences decode together). */
function quotedPrintable(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i += 1) {
    const hex = text.slice(i + 1, i + 3);
    if (text[i] === '=' && /^[0-9A-F]{2}$/i.test(hex)) {
      bytes.push(parseInt(hex, 16));
      i += 2;
    } else {
      bytes.push(...Buffer.from(text[i]!, 'utf8'));
    }
  }
  return Buffer.from(bytes);
}

/** RFC 2047 `=?UTF-8?Q?...?=` and `=?UTF-8?B?...?=` words; whitespace between adjacent words is dropped. */
function encodedWords(header: string): string {
  return header
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?[^?]+\?([QB])\?([^?]*)\?=/gi, (_, kind: string, text: string) =>
      kind.toUpperCase() === 'B'
        ? Buffer.from(text, 'base64').toString('utf8')
        : quotedPrintable(text.replace(/_/g, ' ')).toString('utf8'),
    );
}

import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';

export interface ReceivedEmail {
  to: string[];
  raw: string;
  subject: string;
  messageId: string;
}

/**
 * A real SMTP server on 127.0.0.1 (the `smtp-server` package) that keeps what it accepts. `refuseNext`
 * answers the next DATA with 451 (try again later); `hold()` keeps every DATA waiting until released, so a
 * test can show that a request finishes while its email is still in the SMTP exchange.
 */
export class SmtpSink {
  readonly received: ReceivedEmail[] = [];
  refusals = 0;
  refuseNext = 0;
  private gate: Promise<void> | undefined;
  private release: (() => void) | undefined;

  private constructor(
    private readonly server: SMTPServer,
    readonly port: number,
  ) {}

  static async start(): Promise<SmtpSink> {
    // The server's handler needs the sink, which needs the server's port: the handler reads it from here.
    const ref: { sink?: SmtpSink } = {};
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          void (async () => {
            await ref.sink!.gate;
            if (ref.sink!.refuseNext > 0) {
              ref.sink!.refuseNext -= 1;
              ref.sink!.refusals += 1;
              const error = Object.assign(new Error('Try again later'), { responseCode: 451 });
              return callback(error);
            }
            const raw = readable(Buffer.concat(chunks).toString('utf8'));
            ref.sink!.received.push({
              to: session.envelope.rcptTo.map((r) => r.address),
              raw,
              subject: /^Subject: (.*)$/im.exec(raw)?.[1] ?? '',
              messageId: /^Message-ID: (.*)$/im.exec(raw)?.[1]?.trim() ?? '',
            });
            callback();
          })();
        });
      },
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    ref.sink = new SmtpSink(server, (server.server.address() as AddressInfo).port);
    return ref.sink;
  }

  hold(): void {
    this.gate = new Promise((resolve) => (this.release = resolve));
  }

  open(): void {
    this.release?.();
    this.gate = undefined;
  }

  close(): Promise<void> {
    this.open();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

/**
 * What a mail client would show: headers unfolded with their RFC 2047 encoded words decoded, and the
 * quoted-printable body decoded (soft line breaks joined).
 */
function readable(message: string): string {
  const split = message.search(/\r?\n\r?\n/);
  const head = message.slice(0, split).replace(/\r?\n[ \t]+/g, ' ');
  const body = message.slice(split);
  const hex = (s: string) =>
    s.replace(/=([0-9A-F]{2})/gi, (_, h: string) => String.fromCharCode(parseInt(h, 16)));
  const words = head
    .replace(/\?=\s+=\?/g, '?==?')
    .replace(/=\?UTF-8\?Q\?([^?]*)\?=/gi, (_, q: string) => hex(q.replace(/_/g, ' ')))
    .replace(/=\?UTF-8\?B\?([^?]*)\?=/gi, (_, b: string) => Buffer.from(b, 'base64').toString('utf8'));
  return words + hex(body.replace(/=\r?\n/g, ''));
}

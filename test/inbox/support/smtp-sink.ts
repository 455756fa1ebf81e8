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
    let sink: SmtpSink | undefined;
    const server = new SMTPServer({
      authOptional: true,
      disabledCommands: ['STARTTLS', 'AUTH'],
      logger: false,
      onData(stream, session, callback) {
        const chunks: Buffer[] = [];
        stream.on('data', (c: Buffer) => chunks.push(c));
        stream.on('end', () => {
          void (async () => {
            await sink!.gate;
            if (sink!.refuseNext > 0) {
              sink!.refuseNext -= 1;
              sink!.refusals += 1;
              const error = Object.assign(new Error('Try again later'), { responseCode: 451 });
              return callback(error);
            }
            // Headers unfolded and quoted-printable undone, so a test reads what a mail client would show.
            const raw = Buffer.concat(chunks)
              .toString('utf8')
              .replace(/\r?\n[ \t]+/g, ' ')
              .replace(/=\r?\n/g, '')
              .replace(/=([0-9A-F]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)));
            sink!.received.push({
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
    sink = new SmtpSink(server, (server.server.address() as AddressInfo).port);
    return sink;
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

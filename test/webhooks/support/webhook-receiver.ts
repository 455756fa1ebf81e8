import { createServer, IncomingMessage, Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { verifyWebhookSignature } from '../../../apps/api/src/webhooks/webhook-signature';

export interface ReceivedWebhook {
  path: string;
  headers: IncomingMessage['headers'];
  body: string;
  /** What the receiver answered. */
  answered: number;
  /** The signature checked with the secret the platform returned at configuration. */
  verdict: string;
}

/**
 * A real receiver on 127.0.0.1, as a partner would run one: each path stands for one organisation, knows
 * that organisation's secret and verifies every request with it (401 when it does not verify). `answer`
 * decides the status of each verified request, e.g. 500 on a first attempt.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  readonly secrets = new Map<string, string>();
  answer: (path: string, attempt: number) => number = () => 200;

  private constructor(
    private readonly server: Server,
    readonly origin: string,
  ) {}

  static async start(): Promise<WebhookReceiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const receiver = new WebhookReceiver(
      server,
      `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    );
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const path = req.url ?? '/';
        const secret = receiver.secrets.get(path) ?? '';
        const verdict = verifyWebhookSignature(
          secret,
          {
            timestamp: req.headers['accord-webhook-timestamp'] as string | undefined,
            signature: req.headers['accord-signature'] as string | undefined,
          },
          body,
          Math.floor(Date.now() / 1000),
        );
        const attempt = receiver.received.filter((r) => r.path === path).length + 1;
        const answered = verdict === 'valid' ? receiver.answer(path, attempt) : 401;
        receiver.received.push({ path, headers: req.headers, body, answered, verdict });
        res.writeHead(answered).end();
      });
    });
    return receiver;
  }

  for(path: string): ReceivedWebhook[] {
    return this.received.filter((r) => r.path === path);
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

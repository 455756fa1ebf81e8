import { createHmac, timingSafeEqual } from 'node:crypto';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

/** As README "Breach webhooks" tells a receiver: a timestamp older than this is a replay. */
const TOLERANCE_SECONDS = 300;

export interface ReceivedNotice {
  /** Accord-Webhook-Id: the same on every attempt of one delivery. */
  id: string;
  body: string;
  verified: boolean;
}

/**
 * A partner's webhook receiver on 127.0.0.1, inside the demo's process. It checks each POST the way the
 * README shows a partner (HMAC-SHA256 of `timestamp.body` with the secret shown at configuration), written
 * here afresh rather than borrowed from the api, so the demo shows the documented scheme holds end to end.
 */
export class DemoWebhookReceiver {
  readonly notices: ReceivedNotice[] = [];
  /** Set once the webhook is configured: the secret is in that answer only. */
  secret = '';

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  static async start(path: string): Promise<DemoWebhookReceiver> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const receiver = new DemoWebhookReceiver(
      server,
      `http://127.0.0.1:${(server.address() as AddressInfo).port}${path}`,
    );
    server.on('request', (req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8');
        const verified = verify(receiver.secret, req.headers, body);
        receiver.notices.push({ id: String(req.headers['accord-webhook-id'] ?? ''), body, verified });
        res.writeHead(verified ? 200 : 401).end();
      });
    });
    return receiver;
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}

function verify(secret: string, headers: IncomingHttpHeaders, rawBody: string): boolean {
  const ts = headers['accord-webhook-timestamp'];
  const signature = headers['accord-signature'];
  if (typeof ts !== 'string' || !/^\d+$/.test(ts) || typeof signature !== 'string' || secret === '')
    return false;
  if (Math.abs(Date.now() / 1000 - Number(ts)) > TOLERANCE_SECONDS) return false;
  const expected = Buffer.from(`v1=${createHmac('sha256', secret).update(`${ts}.${rawBody}`).digest('hex')}`);
  const given = Buffer.from(signature);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

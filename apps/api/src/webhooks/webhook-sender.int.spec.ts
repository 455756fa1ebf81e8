import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Clock } from '@accord/platform';
import type { WebhookResolver } from './webhook-address-guard';
import { WebhookSender } from './webhook-sender';
import { verifyWebhookSignature } from './webhook-signature';

/**
 * The sender against a real node:http server on 127.0.0.1. The server counts TCP connections, so a
 * refusal is shown to happen before any connection is made, not after a request was sent.
 */
describe('webhook sender: the connection refuses non-public addresses', () => {
  let server: Server;
  let port: number;
  let connections = 0;
  const requests: { headers: IncomingHttpHeaders; body: string }[] = [];
  let answer = 204;

  beforeAll(async () => {
    server = createServer((req, res) => {
      const chunks: Buffer[] = [];
      req.on('data', (c: Buffer) => chunks.push(c));
      req.on('end', () => {
        requests.push({ headers: req.headers, body: Buffer.concat(chunks).toString('utf8') });
        res.writeHead(answer, { location: 'http://169.254.169.254/' }).end('ignored body');
      });
    });
    server.on('connection', () => connections++);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
  });

  beforeEach(() => {
    connections = 0;
    requests.length = 0;
    answer = 204;
  });

  const sender = (allowInsecureLocalhost: boolean, resolver?: WebhookResolver) =>
    new WebhookSender(new Clock(), { webhooks: { allowInsecureLocalhost } }, resolver);
  const post = (s: WebhookSender, url: string) =>
    s.post({ url, deliveryId: 'd-1', attempt: 1, body: '{"breachId":"b-1"}', secret: 'shh' });

  it('delivers to http://localhost when local http is allowed, signed, answering with the status', async () => {
    const result = await post(sender(true), `http://localhost:${port}/hook`);
    expect(result).toEqual({ status: 204 });
    expect(requests).toHaveLength(1);
    const [received] = requests;
    expect(received!.body).toBe('{"breachId":"b-1"}');
    const verdict = verifyWebhookSignature(
      'shh',
      {
        timestamp: received!.headers['accord-webhook-timestamp'] as string,
        signature: received!.headers['accord-signature'] as string,
      },
      received!.body,
      Math.floor(Date.now() / 1000),
    );
    expect(verdict).toBe('valid');
  });

  it('refuses https://localhost when local http is not allowed, before any connection', async () => {
    expect(await post(sender(false), `https://localhost:${port}/`)).toEqual({ error: 'address-refused' });
    expect(connections).toBe(0);
  });

  it('refuses a name that resolves to a public and a private address (any internal address refuses)', async () => {
    const asked: string[] = [];
    const resolver: WebhookResolver = async (hostname) => {
      asked.push(hostname);
      return [
        { address: '203.0.113.7', family: 4 },
        { address: '10.0.0.8', family: 4 },
      ];
    };
    const result = await post(sender(false, resolver), `https://hooks.example.test:${port}/`);
    expect(result).toEqual({ error: 'address-refused' });
    expect(asked).toEqual(['hooks.example.test']);
    expect(connections).toBe(0);
  });

  it('refuses a foreign name that resolves to loopback even when local http is allowed (rebinding)', async () => {
    const resolver: WebhookResolver = async () => [{ address: '::ffff:127.0.0.1', family: 6 }];
    const result = await post(sender(true, resolver), `http://rebind.example.test:${port}/`);
    expect(result).toEqual({ error: 'address-refused' });
    expect(connections).toBe(0);
  });

  it('refuses a loopback literal other than the allowed ones without resolving anything', async () => {
    const resolver: WebhookResolver = async () => {
      throw new Error('a literal must not be resolved');
    };
    expect(await post(sender(true, resolver), `http://127.0.0.2:${port}/`)).toEqual({
      error: 'address-refused',
    });
    expect(await post(sender(false, resolver), `http://127.0.0.1:${port}/`)).toEqual({
      error: 'address-refused',
    });
    expect(connections).toBe(0);
  });

  it('reports a redirect as its status and does not follow it', async () => {
    answer = 302;
    expect(await post(sender(true), `http://127.0.0.1:${port}/`)).toEqual({ status: 302 });
    expect(requests).toHaveLength(1);
  });

  it('reports a name that does not resolve as a dns failure', async () => {
    const resolver: WebhookResolver = async () => {
      throw Object.assign(new Error('nope'), { code: 'ENOTFOUND' });
    };
    expect(await post(sender(false, resolver), 'https://missing.example.test/')).toEqual({
      error: 'dns-failure',
    });
  });
});

import { createHmac } from 'node:crypto';
import { signWebhook, verifyWebhookSignature } from './webhook-signature';

const SECRET = 'whsec_test-secret';
const BODY = '{"id":"d1","type":"breach.partners-notified"}';
const NOW = 1_780_000_000;

describe('webhook signature', () => {
  it('is v1= and the hex HMAC-SHA256 of "timestamp.body" under the secret', () => {
    const hex = createHmac('sha256', SECRET).update(`${NOW}.${BODY}`).digest('hex');
    expect(signWebhook(SECRET, NOW, BODY)).toBe(`v1=${hex}`);
  });

  it('verifies a fresh, untouched delivery', () => {
    const signature = signWebhook(SECRET, NOW, BODY);
    expect(verifyWebhookSignature(SECRET, { timestamp: String(NOW), signature }, BODY, NOW + 10)).toBe(
      'valid',
    );
  });

  it('refuses a changed body, a changed timestamp or another secret', () => {
    const signature = signWebhook(SECRET, NOW, BODY);
    const ts = String(NOW);
    expect(verifyWebhookSignature(SECRET, { timestamp: ts, signature }, BODY.replace('d1', 'd2'), NOW)).toBe(
      'bad-signature',
    );
    expect(verifyWebhookSignature(SECRET, { timestamp: String(NOW + 1), signature }, BODY, NOW)).toBe(
      'bad-signature',
    );
    expect(verifyWebhookSignature('whsec_other', { timestamp: ts, signature }, BODY, NOW)).toBe(
      'bad-signature',
    );
  });

  it('refuses a timestamp more than five minutes from the receiver clock (a replay)', () => {
    const signature = signWebhook(SECRET, NOW, BODY);
    expect(verifyWebhookSignature(SECRET, { timestamp: String(NOW), signature }, BODY, NOW + 301)).toBe(
      'stale-timestamp',
    );
    expect(verifyWebhookSignature(SECRET, { timestamp: String(NOW), signature }, BODY, NOW - 301)).toBe(
      'stale-timestamp',
    );
  });

  it('refuses missing or malformed headers', () => {
    expect(verifyWebhookSignature(SECRET, { timestamp: undefined, signature: 'v1=00' }, BODY, NOW)).toBe(
      'malformed',
    );
    expect(verifyWebhookSignature(SECRET, { timestamp: '12x', signature: 'v1=00' }, BODY, NOW)).toBe(
      'malformed',
    );
    expect(verifyWebhookSignature(SECRET, { timestamp: String(NOW), signature: undefined }, BODY, NOW)).toBe(
      'malformed',
    );
  });
});

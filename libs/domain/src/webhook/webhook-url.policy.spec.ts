import { checkWebhookUrl } from './webhook-url.policy';
import { isWebhookError } from './webhook.errors';

const strict = { allowInsecureLocalhost: false };
const local = { allowInsecureLocalhost: true };

function refusal(raw: unknown, options = strict): string | undefined {
  try {
    checkWebhookUrl(raw, options);
    return undefined;
  } catch (error) {
    if (!isWebhookError(error)) throw error;
    return error.code;
  }
}

describe('webhook URL policy', () => {
  it('accepts an https URL with a path and query, normalised', () => {
    expect(checkWebhookUrl(' https://Hooks.Example.org/accord?x=1 ', strict)).toBe(
      'https://hooks.example.org/accord?x=1',
    );
  });

  it.each([
    'http://hooks.example.org/',
    'ftp://hooks.example.org/',
    'file:///etc/passwd',
    'javascript:alert(1)',
  ])('refuses %p: breach notices travel over TLS only', (url) =>
    expect(refusal(url)).toBe('webhook.url-invalid'),
  );

  it.each(['https://user:pw@hooks.example.org/', 'https://token@hooks.example.org/'])(
    'refuses credentials in the URL (%p): they would sit in the event log',
    (url) => expect(refusal(url)).toBe('webhook.url-invalid'),
  );

  it.each(['', '   ', 'not a url', '/relative', 42, null, `https://a.example/${'x'.repeat(2100)}`])(
    'refuses %p',
    (url) => expect(refusal(url)).toBe('webhook.url-invalid'),
  );

  it('refuses a fragment, which an HTTP client never sends', () => {
    expect(refusal('https://hooks.example.org/#x')).toBe('webhook.url-invalid');
  });

  it.each([
    'https://127.0.0.1/',
    'https://localhost/',
    'https://10.1.2.3/',
    'https://172.20.0.1/',
    'https://192.168.0.10/',
    'https://169.254.169.254/latest/meta-data',
    'https://0x7f.1/',
    'https://[::1]/',
    'https://[fd00::1]/',
    'https://[fe80::1]/',
    'https://[::ffff:127.0.0.1]/',
  ])('refuses internal address %p (no calls into the platform network)', (url) => {
    expect(refusal(url)).toBe('webhook.url-invalid');
  });

  it('accepts a public IP literal over https', () => {
    expect(checkWebhookUrl('https://203.0.113.7:8443/hook', strict)).toBe('https://203.0.113.7:8443/hook');
  });

  it.each(['http://127.0.0.1:4567/hook', 'http://localhost:1/x', 'http://[::1]:80/'])(
    'accepts plain http to this machine (%p) only when configured to',
    (url) => {
      expect(refusal(url, strict)).toBe('webhook.url-invalid');
      expect(refusal(url, local)).toBeUndefined();
    },
  );

  it('still refuses plain http to any other host, and private addresses, when local http is allowed', () => {
    expect(refusal('http://10.0.0.1/', local)).toBe('webhook.url-invalid');
    expect(refusal('https://10.0.0.1/', local)).toBe('webhook.url-invalid');
    expect(refusal('https://127.0.0.2/', local)).toBe('webhook.url-invalid');
    expect(refusal('http://hooks.example.org/', local)).toBe('webhook.url-invalid');
  });
});

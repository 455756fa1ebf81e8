import { addressKind, checkWebhookUrl, isIpLiteral } from './webhook-url.policy';
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

describe('address classifier (applied to every address a webhook host resolves to)', () => {
  it.each([
    ['127.0.0.1', 'loopback'],
    ['127.255.0.9', 'loopback'],
    ['::1', 'loopback'],
    ['[::1]', 'loopback'],
    ['0:0:0:0:0:0:0:1', 'loopback'],
    ['10.0.0.1', 'private'],
    ['172.16.0.1', 'private'],
    ['172.31.255.255', 'private'],
    ['192.168.1.1', 'private'],
    ['100.64.0.1', 'private'],
    ['100.127.255.254', 'private'],
    ['169.254.169.254', 'link-local'],
    ['fe80::1', 'link-local'],
    ['fe80::1%eth0', 'link-local'],
    ['febf::1', 'link-local'],
    ['fc00::1', 'unique-local'],
    ['fd12:3456::1', 'unique-local'],
    ['0.0.0.0', 'unspecified'],
    ['::', 'unspecified'],
    ['224.0.0.1', 'multicast'],
    ['239.255.255.250', 'multicast'],
    ['ff02::1', 'multicast'],
    ['255.255.255.255', 'reserved'],
    ['240.0.0.1', 'reserved'],
    ['198.18.0.1', 'reserved'],
    ['100::1', 'reserved'],
    ['2001:0:4136:e378::1', 'reserved'],
  ])('%s is %s: a webhook must not reach it', (address, kind) => {
    expect(addressKind(address)).toBe(kind);
  });

  it.each([
    ['::ffff:127.0.0.1', 'loopback'],
    ['::ffff:7f00:1', 'loopback'],
    ['[::ffff:10.0.0.1]', 'private'],
    ['::ffff:a9fe:a9fe', 'link-local'],
    ['::127.0.0.1', 'loopback'],
    ['64:ff9b::10.1.2.3', 'private'],
    ['64:ff9b::a9fe:a9fe', 'link-local'],
    ['2002:c0a8:0101::1', 'private'],
    ['2002:7f00:1::', 'loopback'],
  ])('IPv6 %s carries an IPv4 address and is classified by it (%s)', (address, kind) => {
    expect(addressKind(address)).toBe(kind);
  });

  it.each(['8.8.8.8', '203.0.113.7', '172.32.0.1', '100.128.0.1', '2606:4700::1111', '::ffff:8.8.8.8'])(
    '%s is public',
    (address) => expect(addressKind(address)).toBe('public'),
  );

  it.each(['hooks.example.org', '', '1.2.3', '1.2.3.256', '::1::2', '1:2:3:4:5:6:7:8:9', 'fe80::g', '[::1'])(
    'fails closed on %p, which is not an address',
    (text) => {
      expect(isIpLiteral(text)).toBe(false);
      expect(addressKind(text)).toBe('reserved');
    },
  );

  it('refuses at configuration a literal that only the classifier knows to be internal', () => {
    expect(refusal('https://100.100.1.1/')).toBe('webhook.url-invalid');
    expect(refusal('https://224.0.0.1/')).toBe('webhook.url-invalid');
    expect(refusal('https://[ff02::1]/')).toBe('webhook.url-invalid');
    expect(refusal('https://[64:ff9b::a9fe:a9fe]/')).toBe('webhook.url-invalid');
    expect(refusal('https://[::ffff:8.8.8.8]/')).toBeUndefined();
  });
});

import { configFilePath, resolveClientSettings } from './cli-config';
import { CliError } from './cli-error';

const HOME_ENV = { XDG_CONFIG_HOME: '/home/u/.config' };
const file = (json: object | string) => (path: string) =>
  path === '/home/u/.config/accord/config.json'
    ? typeof json === 'string'
      ? json
      : JSON.stringify(json)
    : undefined;
const none = () => undefined;

describe('CLI client settings', () => {
  it('with nothing configured, the embedded default server on loopback and no token', () => {
    expect(resolveClientSettings({}, HOME_ENV, none)).toEqual({
      url: 'http://127.0.0.1:3000',
      token: undefined,
    });
  });

  it('flags win over the environment, which wins over the config file', () => {
    const cfg = file({ url: 'https://file.example', token: 'file-token' });
    const env = { ...HOME_ENV, ACCORD_URL: 'https://env.example', ACCORD_TOKEN: 'env-token' };
    expect(resolveClientSettings({ url: 'https://flag.example', token: 'flag-token' }, env, cfg)).toEqual({
      url: 'https://flag.example',
      token: 'flag-token',
    });
    expect(resolveClientSettings({}, env, cfg)).toEqual({ url: 'https://env.example', token: 'env-token' });
    expect(resolveClientSettings({}, HOME_ENV, cfg)).toEqual({
      url: 'https://file.example',
      token: 'file-token',
    });
  });

  it('the config file lives under XDG_CONFIG_HOME, else ~/.config', () => {
    expect(configFilePath(HOME_ENV)).toBe('/home/u/.config/accord/config.json');
    expect(configFilePath({})).toMatch(/\/\.config\/accord\/config\.json$/);
  });

  it('a trailing slash is dropped so paths join cleanly', () => {
    expect(resolveClientSettings({ url: 'https://a.example/' }, HOME_ENV, none).url).toBe(
      'https://a.example',
    );
  });

  it('a non-HTTP URL or a broken config file is a one-line CliError', () => {
    expect(() => resolveClientSettings({ url: 'ftp://x' }, HOME_ENV, none)).toThrow(CliError);
    expect(() => resolveClientSettings({}, HOME_ENV, file('{not json'))).toThrow(
      '/home/u/.config/accord/config.json is not valid JSON',
    );
  });
});

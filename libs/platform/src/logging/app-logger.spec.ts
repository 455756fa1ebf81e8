import { requestLogging } from '../http/request-logging';
import { AppLogger } from './app-logger';

/** The app logger's belt and braces: a censored name that slips into a logged object never reaches the log. */
describe('AppLogger redaction', () => {
  const logged = () => {
    const raw: string[] = [];
    return { raw, logger: AppLogger.create('info', { write: (line: string) => void raw.push(line) }) };
  };

  it('censors secrets, tokens, keys and emails at the top of a line and one and two levels down', () => {
    const { raw, logger } = logged();
    logger.pino.info(
      {
        email: 'top@council.example',
        detail: { user: { email: 'deep@council.example', token: 'acc_deep' } },
        user: { email: 'jo@council.example', token: 'acc_secret', id: 'u-1' },
        headers: { authorization: 'Bearer acc_secret' },
        org: { publicKey: '-----BEGIN PGP', secretKey: 'k', password: 'p', secret: 's', platformSecret: 'x' },
      },
      'slipped',
    );
    const line = JSON.parse(raw[0]!) as Record<string, Record<string, unknown>>;
    expect(line.email).toBe('[redacted]');
    expect(line.detail).toEqual({ user: { email: '[redacted]', token: '[redacted]' } });
    expect(line.user).toEqual({ email: '[redacted]', token: '[redacted]', id: 'u-1' });
    expect(line.headers).toEqual({ authorization: '[redacted]' });
    for (const key of ['publicKey', 'secretKey', 'password', 'secret', 'platformSecret'])
      expect(line.org![key]).toBe('[redacted]');
    expect(raw[0]).not.toMatch(/acc_secret|acc_deep|@council\.example/);
  });

  it('still censors after the request log has taken its unredacted child', () => {
    const { raw, logger } = logged();
    requestLogging(logger);
    logger.info({ user: { email: 'jo@council.example' } });
    logger.pino.warn({ user: { token: 'acc_secret' } }, 'after');
    expect(raw.join('')).not.toMatch(/jo@council\.example|acc_secret/);
    expect(raw).toHaveLength(2);
  });
});

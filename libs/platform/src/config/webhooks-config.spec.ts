import { ConfigError } from './accord-config';
import { parseConfig } from './parse-config';

const CWD = '/srv/accord';
const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    parseConfig(env, CWD);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
};

describe('parseConfig: webhooks', () => {
  it('defaults to https only, a 10 s retry base, seven attempts and a one-second poll', () => {
    expect(parseConfig({}, CWD).webhooks).toEqual({
      allowInsecureLocalhost: false,
      retryBaseMs: 10_000,
      maxAttempts: 7,
      pollIntervalMs: 1000,
    });
  });

  it('reads each ACCORD_WEBHOOK_* variable', () => {
    expect(
      parseConfig(
        {
          ACCORD_WEBHOOK_ALLOW_INSECURE_LOCALHOST: 'TRUE',
          ACCORD_WEBHOOK_RETRY_BASE_MS: '20',
          ACCORD_WEBHOOK_MAX_ATTEMPTS: '3',
          ACCORD_WEBHOOK_POLL_INTERVAL_MS: '50',
        },
        CWD,
      ).webhooks,
    ).toEqual({ allowInsecureLocalhost: true, retryBaseMs: 20, maxAttempts: 3, pollIntervalMs: 50 });
  });

  it('names each bad variable', () => {
    expect(
      problemsOf({
        ACCORD_WEBHOOK_ALLOW_INSECURE_LOCALHOST: 'yes',
        ACCORD_WEBHOOK_RETRY_BASE_MS: '0',
        ACCORD_WEBHOOK_MAX_ATTEMPTS: '21',
        ACCORD_WEBHOOK_POLL_INTERVAL_MS: 'soon',
      }).map((p) => p.split(' ')[0]),
    ).toEqual([
      'ACCORD_WEBHOOK_ALLOW_INSECURE_LOCALHOST',
      'ACCORD_WEBHOOK_RETRY_BASE_MS',
      'ACCORD_WEBHOOK_MAX_ATTEMPTS',
      'ACCORD_WEBHOOK_POLL_INTERVAL_MS',
    ]);
  });
});

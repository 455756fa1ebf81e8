import { ConfigError } from './accord-config';
import { parseConfig } from './parse-config';

const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    parseConfig(env, '/srv');
  } catch (error) {
    return (error as ConfigError).problems;
  }
  return [];
};

describe('checkpoints of the verifiable log (ACCORD_LOG_ORIGIN, ACCORD_CHECKPOINT_*)', () => {
  it('defaults: origin accord.local/log, a checkpoint every 5 s, the key generated into DATA_DIR', () => {
    expect(parseConfig({}, '/srv').checkpoints).toEqual({ origin: 'accord.local/log', intervalMs: 5000 });
  });

  it('reads each variable; a relative key file is under DATA_DIR', () => {
    const seed = Buffer.alloc(32, 9).toString('base64');
    expect(
      parseConfig(
        {
          DATA_DIR: '/data',
          ACCORD_LOG_ORIGIN: 'accord.example.gov.uk/log',
          ACCORD_CHECKPOINT_INTERVAL_MS: '0',
          ACCORD_CHECKPOINT_KEY: seed,
          ACCORD_CHECKPOINT_KEY_FILE: 'keys/checkpoint',
        },
        '/srv',
      ).checkpoints,
    ).toEqual({
      origin: 'accord.example.gov.uk/log',
      intervalMs: 0,
      keySeed: seed,
      keyFile: '/data/keys/checkpoint',
    });
  });

  it('names every bad variable', () => {
    expect(
      problemsOf({
        ACCORD_LOG_ORIGIN: 'has space',
        ACCORD_CHECKPOINT_INTERVAL_MS: 'often',
        ACCORD_CHECKPOINT_KEY: 'c2hvcnQ=',
      }).map((p) => p.split(' ')[0]),
    ).toEqual(['ACCORD_LOG_ORIGIN', 'ACCORD_CHECKPOINT_INTERVAL_MS', 'ACCORD_CHECKPOINT_KEY']);
  });
});

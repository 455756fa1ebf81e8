import { parseConfig } from './parse-config';
import { ConfigError } from './accord-config';

const problemsOf = (env: Record<string, string>): readonly string[] => {
  try {
    parseConfig(env, '/srv');
  } catch (error) {
    return (error as ConfigError).problems;
  }
  return [];
};

describe('security-incident detection thresholds (ACCORD_DETECT_*)', () => {
  it('defaults: 5 refusals in 10 minutes; a day at 3x the 30-day average and at least 20 opens', () => {
    expect(parseConfig({}, '/srv').detection).toEqual({
      denials: 5,
      denialWindowMinutes: 10,
      volumeFactor: 3,
      volumeMinimum: 20,
      volumeHistoryDays: 30,
    });
  });

  it('reads each variable, the factor as a decimal', () => {
    const env = {
      ACCORD_DETECT_DENIALS: '3',
      ACCORD_DETECT_DENIAL_WINDOW_MINUTES: '60',
      ACCORD_DETECT_VOLUME_FACTOR: '2.5',
      ACCORD_DETECT_VOLUME_MIN: '4',
      ACCORD_DETECT_VOLUME_HISTORY_DAYS: '7',
    };
    expect(parseConfig(env, '/srv').detection).toEqual({
      denials: 3,
      denialWindowMinutes: 60,
      volumeFactor: 2.5,
      volumeMinimum: 4,
      volumeHistoryDays: 7,
    });
  });

  it('names every bad variable', () => {
    expect(
      problemsOf({
        ACCORD_DETECT_DENIALS: '0',
        ACCORD_DETECT_DENIAL_WINDOW_MINUTES: 'ten',
        ACCORD_DETECT_VOLUME_FACTOR: '0.5',
        ACCORD_DETECT_VOLUME_HISTORY_DAYS: '400',
      }).map((p) => p.split(' ')[0]),
    ).toEqual([
      'ACCORD_DETECT_DENIALS',
      'ACCORD_DETECT_DENIAL_WINDOW_MINUTES',
      'ACCORD_DETECT_VOLUME_FACTOR',
      'ACCORD_DETECT_VOLUME_HISTORY_DAYS',
    ]);
  });
});

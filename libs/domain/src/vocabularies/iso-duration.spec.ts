import { addIsoDuration, isIsoDuration, parseIsoDuration } from './iso-duration';

const add = (from: string, duration: string) => addIsoDuration(new Date(from), duration)?.toISOString();

describe('ISO-8601 durations', () => {
  it('parses every component', () => {
    expect(parseIsoDuration('P1Y2M3DT4H5M6S')).toEqual({
      years: 1,
      months: 2,
      weeks: 0,
      days: 3,
      hours: 4,
      minutes: 5,
      seconds: 6,
    });
    expect(parseIsoDuration('P2W')).toMatchObject({ weeks: 2 });
    expect(parseIsoDuration('PT0.5S')).toMatchObject({ seconds: 0.5 });
  });

  it.each(['P6Y', 'P30D', 'PT1M', 'P1Y2M3DT4H5M6S', 'p6y'])('accepts %p', (value) => {
    expect(isIsoDuration(value)).toBe(true);
  });

  it.each(['', 'P', 'PT', '6Y', 'P1.5Y', 'P-1D', 'P1H', 'PT1D', 'P1Y1Y', 'P1DT', 'six years', 'P999999999Y'])(
    'refuses %p',
    (value) => {
      expect(isIsoDuration(value)).toBe(false);
    },
  );

  it('adds calendar years and months in UTC', () => {
    expect(add('2023-06-20T00:00:00Z', 'P6Y')).toBe('2029-06-20T00:00:00.000Z');
    expect(add('2024-01-15T10:00:00Z', 'P18M')).toBe('2025-07-15T10:00:00.000Z');
  });

  it('clamps to the end of a shorter month rather than spilling into the next', () => {
    expect(add('2024-01-31T08:00:00Z', 'P1M')).toBe('2024-02-29T08:00:00.000Z');
    expect(add('2023-01-31T08:00:00Z', 'P1M')).toBe('2023-02-28T08:00:00.000Z');
    expect(add('2024-02-29T00:00:00Z', 'P1Y')).toBe('2025-02-28T00:00:00.000Z');
  });

  it('adds days and time after the calendar part', () => {
    expect(add('2024-01-31T00:00:00Z', 'P1M1D')).toBe('2024-03-01T00:00:00.000Z');
    expect(add('2024-03-30T23:59:00Z', 'PT1M')).toBe('2024-03-31T00:00:00.000Z');
    expect(add('2024-01-01T00:00:00Z', 'P1Y2M3DT4H5M6S')).toBe('2025-03-04T04:05:06.000Z');
  });

  it('ignores daylight saving: a day is 24 hours in UTC', () => {
    expect(add('2024-03-30T12:00:00Z', 'P1D')).toBe('2024-03-31T12:00:00.000Z');
  });
});

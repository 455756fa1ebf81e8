import { InvalidJobDataError, InvalidJobError } from './errors';
import { backoffDelay, checkedJobData, resolveJobOptions } from './job-validation';

describe('job validation', () => {
  it('doubles the backoff with every failed attempt, as BullMQ exponential backoff does', () => {
    expect([1, 2, 3, 4].map((n) => backoffDelay(1000, n))).toEqual([1000, 2000, 4000, 8000]);
  });

  it('fills unset options with the defaults and refuses non-positive concurrency or attempts', () => {
    expect(resolveJobOptions({ attempts: 5, backoffMs: undefined })).toEqual({
      concurrency: 1,
      attempts: 5,
      backoffMs: 1000,
    });
    expect(() => resolveJobOptions({ concurrency: 0 })).toThrow(InvalidJobError);
    expect(() => resolveJobOptions({ attempts: 1.5 })).toThrow(InvalidJobError);
  });

  it('hands over a frozen copy, so a handler cannot change what a retry will see', () => {
    const original = { documentId: 'd-1' };
    const data = checkedJobData(original);
    expect(data).toEqual(original);
    expect(data).not.toBe(original);
    expect(Object.isFrozen(data)).toBe(true);
  });

  it('names the offending key in its error, never the value', () => {
    const error = (() => {
      try {
        checkedJobData({ subject: { nhsNumber: '9434765919' } });
      } catch (e) {
        return e as Error;
      }
    })();
    expect(error).toBeInstanceOf(InvalidJobDataError);
    expect(error!.message).toContain('subject');
    expect(error!.message).not.toContain('9434765919');
  });

  it('refuses long strings: job data carries ids, not content', () => {
    expect(() => checkedJobData({ note: 'x'.repeat(513) })).toThrow(InvalidJobDataError);
    expect(checkedJobData({ note: 'x'.repeat(512) })).toBeDefined();
  });
});

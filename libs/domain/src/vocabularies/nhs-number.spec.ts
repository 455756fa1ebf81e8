import { isValidNhsNumber, normaliseNhsNumber } from './nhs-number';

describe('NHS number', () => {
  it('accepts a number whose tenth digit is its modulus-11 check digit', () => {
    expect(normaliseNhsNumber('9434765919')).toBe('9434765919');
    expect(normaliseNhsNumber('4010232137')).toBe('4010232137');
  });

  it('normalises spaces and dashes away', () => {
    expect(normaliseNhsNumber(' 943 476 5919 ')).toBe('9434765919');
    expect(normaliseNhsNumber('943-476-5919')).toBe('9434765919');
  });

  it('refuses a wrong check digit', () => {
    expect(isValidNhsNumber('9434765918')).toBe(false);
  });

  it('treats a check of 11 as 0', () => {
    // 000000014: 1 * 3 + 4 * 2 = 11, 11 mod 11 = 0, 11 - 0 = 11, written as 0.
    expect(normaliseNhsNumber('0000000140')).toBe('0000000140');
    expect(isValidNhsNumber('0000000141')).toBe(false);
  });

  it('refuses nine digits whose check would be 10, whatever the tenth', () => {
    // 000000006: 6 * 2 = 12, 12 mod 11 = 1, 11 - 1 = 10: no valid NHS number starts with these nine digits.
    for (let last = 0; last <= 9; last++) expect(isValidNhsNumber(`000000006${last}`)).toBe(false);
  });

  it.each(['943476591', '94347659190', '943476591X', '', 'nine'])('refuses shape %p', (value) => {
    expect(isValidNhsNumber(value)).toBe(false);
  });
});

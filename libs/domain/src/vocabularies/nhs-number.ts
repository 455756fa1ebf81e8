/**
 * NHS number: ten digits, the tenth a modulus-11 check digit over the first nine weighted 10 down to 2. A
 * remainder giving check 10 means no valid number exists with those nine digits.
 */
export function normaliseNhsNumber(value: unknown): string | undefined {
  if (typeof value !== 'string') return undefined;
  const digits = value.replace(/[\s-]/g, '');
  if (!/^\d{10}$/.test(digits)) return undefined;
  let sum = 0;
  for (let i = 0; i < 9; i++) sum += Number(digits[i]) * (10 - i);
  const check = 11 - (sum % 11);
  const expected = check === 11 ? 0 : check;
  return expected !== 10 && expected === Number(digits[9]) ? digits : undefined;
}

export function isValidNhsNumber(value: unknown): boolean {
  return normaliseNhsNumber(value) !== undefined;
}

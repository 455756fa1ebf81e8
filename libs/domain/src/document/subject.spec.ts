import { DocumentRefusal } from './document.errors';
import { normaliseSubject, subjectRefInput } from './subject';

const refusalCode = (fn: () => unknown): string | undefined => {
  try {
    fn();
  } catch (error) {
    return error instanceof DocumentRefusal ? error.reason : String(error);
  }
  return undefined;
};

describe('subject identifiers', () => {
  it('an NHS number with a valid check digit is normalised to its ten digits', () => {
    expect(normaliseSubject('nhs-number', '943 476 5919')).toEqual({
      scheme: 'nhs-number',
      value: '9434765919',
    });
    expect(subjectRefInput(normaliseSubject('nhs-number', '943-476-5919'))).toBe('nhs-number:9434765919');
  });
  it('an NHS number failing the modulus-11 check is subject.nhs-number-invalid, without echoing it', () => {
    expect(refusalCode(() => normaliseSubject('nhs-number', '9434765918'))).toBe(
      'subject.nhs-number-invalid',
    );
    try {
      normaliseSubject('nhs-number', '9434765918');
    } catch (error) {
      expect(
        JSON.stringify({ m: (error as Error).message, e: (error as DocumentRefusal).extra }),
      ).not.toContain('943476');
    }
  });
  it('a local reference ignores spacing and case', () => {
    expect(normaliseSubject('local-ref', ' scc/2024 / 0001 ')).toEqual({
      scheme: 'local-ref',
      value: 'SCC/2024/0001',
    });
  });
  it.each(['', '   ', 'x'.repeat(101), 'CASE-9\u200b', '\u2067CASE-9', 'CASE\u00ad-9'])(
    'an empty, overlong or invisibly marked local reference is subject.value-invalid',
    (value) => {
      expect(refusalCode(() => normaliseSubject('local-ref', value))).toBe('subject.value-invalid');
    },
  );
  it('an unknown scheme is subject.scheme-invalid', () => {
    expect(refusalCode(() => normaliseSubject('passport', 'X'))).toBe('subject.scheme-invalid');
  });
});

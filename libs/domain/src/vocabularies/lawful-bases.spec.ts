import {
  isArt6,
  isArt9,
  isLawfulBasis,
  isSchedule1OrPart3,
  LAWFUL_BASES,
  lawfulBasisCitation,
  type LawfulBasis,
} from './lawful-bases';

describe('lawful bases', () => {
  it('lists Article 6(1)(a)-(f) and Article 9(2)(a)-(j)', () => {
    const codes = Object.keys(LAWFUL_BASES);
    expect(codes.filter((c) => c.startsWith('uk-gdpr-art6-1-'))).toEqual(
      'abcdef'.split('').map((l) => `uk-gdpr-art6-1-${l}`),
    );
    expect(codes.filter((c) => c.startsWith('uk-gdpr-art9-2-'))).toEqual(
      'abcdefghij'.split('').map((l) => `uk-gdpr-art9-2-${l}`),
    );
  });

  it('lists the Schedule 1 conditions by part and paragraph: Part 1 paras 1-4, Part 2 paras 6-28, Part 3 paras 29-37', () => {
    const paras = (part: number) =>
      Object.keys(LAWFUL_BASES)
        .filter((c) => c.startsWith(`dpa2018-sch1-pt${part}-para`))
        .map((c) => Number(c.split('para')[1]));
    const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i);
    expect(paras(1)).toEqual(range(1, 4));
    expect(paras(2)).toEqual(range(6, 28));
    expect(paras(3)).toEqual(range(29, 37));
    expect(LAWFUL_BASES['dpa2018-sch1-pt2-para18'].label).toMatch(
      /safeguarding of children and of individuals at risk/i,
    );
  });

  it('classifies each basis for the conditions special-category and criminal-offence data need', () => {
    expect(isArt6('uk-gdpr-art6-1-e')).toBe(true);
    expect(isArt9('uk-gdpr-art9-2-g')).toBe(true);
    expect(isArt9('uk-gdpr-art6-1-e')).toBe(false);
    expect(isSchedule1OrPart3('dpa2018-sch1-pt2-para18')).toBe(true);
    expect(isSchedule1OrPart3('dpa2018-sch1-pt1-para2')).toBe(true);
    expect(isSchedule1OrPart3('dpa2018-part3')).toBe(true);
    expect(isSchedule1OrPart3('uk-gdpr-art9-2-g')).toBe(false);
  });

  it('cites each basis where the law states it, for readers who do not know the codes', () => {
    expect(lawfulBasisCitation('uk-gdpr-art6-1-e')).toBe('UK GDPR Article 6(1)(e)');
    expect(lawfulBasisCitation('uk-gdpr-art9-2-g')).toBe('UK GDPR Article 9(2)(g)');
    expect(lawfulBasisCitation('dpa2018-sch1-pt2-para18')).toBe('DPA 2018 Schedule 1 paragraph 18');
    expect(lawfulBasisCitation('dpa2018-part3')).toBeNull();
    // Every code but Part 3 has one, so no basis is shown as a bare code.
    const uncited = (Object.keys(LAWFUL_BASES) as LawfulBasis[]).filter((b) => !lawfulBasisCitation(b));
    expect(uncited).toEqual(['dpa2018-part3']);
  });

  it('refuses codes outside the vocabulary, including inherited object keys', () => {
    expect(isLawfulBasis('dpa2018-sch1-pt2-para5')).toBe(false);
    expect(isLawfulBasis('uk-gdpr-art6-1-g')).toBe(false);
    expect(isLawfulBasis('toString')).toBe(false);
  });
});

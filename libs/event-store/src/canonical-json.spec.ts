import { canonicalJson, canonicalObjectOpen } from './canonical-json';
import { random } from './testing/random';

/** The definition written plainly: the optimised serialiser must agree with it on every value. */
function reference(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value);
  if (Array.isArray(value))
    return '[' + value.map((v) => reference(v === undefined ? null : v)).join(',') + ']';
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return '{' + keys.map((k) => JSON.stringify(k) + ':' + reference(obj[k])).join(',') + '}';
}

describe('canonicalJson (RFC 8785)', () => {
  it('serialises the RFC 8785 section 3.2.4 example byte for byte', () => {
    const input = {
      // The RFC's own literal: its extra digits are the point (they must round to 333333333.3333333).
      // eslint-disable-next-line no-loss-of-precision
      numbers: [333333333.33333329, 1e30, 4.5, 2e-3, 0.000000000000000000000000001],
      string: '\u20ac$\u000F\u000aA\'\u0042\u0022\u005c\\"/',
      literals: [null, true, false],
    };
    expect(canonicalJson(input)).toBe(
      '{"literals":[null,true,false],"numbers":[333333333.3333333,1e+30,4.5,0.002,1e-27],' +
        '"string":"€$\\u000f\\nA\'B\\"\\\\\\\\\\"/"}',
    );
  });

  it('sorts keys by UTF-16 code units, as in the RFC 8785 section 3.2.3 example', () => {
    const input = {
      '\u20ac': 'Euro Sign',
      '\r': 'Carriage Return',
      '\ufb33': 'Hebrew Letter Dalet With Dagesh',
      '1': 'One',
      '\ud83d\ude00': 'Emoji: Grinning Face',
      '\u0080': 'Control',
      '\u00f6': 'Latin Small Letter O With Diaeresis',
    };
    const keys = Object.keys(JSON.parse(canonicalJson(input)) as object);
    // JSON.parse puts the integer-like key first; the text itself must follow code-unit order.
    const order = ['\r', '1', '\u0080', '\u00f6', '\u20ac', '\ud83d\ude00', '\ufb33'];
    expect(keys.sort()).toEqual([...order].sort());
    const text = canonicalJson(input);
    const at = order.map((k) => text.indexOf(JSON.stringify(k) + ':'));
    expect(at).toEqual([...at].sort((a, b) => a - b));
    expect(text.startsWith('{"\\r":"Carriage Return","1":"One"')).toBe(true);
  });

  it('writes numbers as ECMAScript does (RFC 8785 section 3.2.2.3 samples)', () => {
    const samples: [number, string][] = [
      [0, '0'],
      [-0, '0'],
      [5e-324, '5e-324'],
      [-5e-324, '-5e-324'],
      [1.7976931348623157e308, '1.7976931348623157e+308'],
      [9007199254740992, '9007199254740992'],
      [295147905179352830000, '295147905179352830000'],
      [9.999999999999997e22, '9.999999999999997e+22'],
      [1e23, '1e+23'],
      [0.000001, '0.000001'],
      [9.999999999999997e-7, '9.999999999999997e-7'],
      [333333333.3333332, '333333333.3333332'],
    ];
    for (const [n, text] of samples) expect(canonicalJson(n)).toBe(text);
  });

  it('refuses values JSON cannot hold instead of hashing something else', () => {
    for (const bad of [NaN, Infinity, -Infinity]) expect(() => canonicalJson({ n: bad })).toThrow(TypeError);
    expect(() => canonicalJson(10n)).toThrow(TypeError);
    expect(() => canonicalJson({ f: () => 1 })).toThrow(TypeError);
    expect(() => canonicalJson(Symbol('s'))).toThrow(TypeError);
  });

  it('leaves out undefined members and writes undefined array items as null, as JSON.stringify does', () => {
    expect(canonicalJson({ b: undefined, a: [undefined, 1] })).toBe('{"a":[null,1]}');
    expect(canonicalJson({ b: undefined, a: [undefined, 1] })).toBe(JSON.stringify({ a: [undefined, 1] }));
  });

  it('has no whitespace and does not depend on insertion order, at any depth', () => {
    const a = { z: { y: [1, { d: 1, c: 2 }], x: 'é' }, a: null };
    const b = { a: null, z: { x: 'é', y: [1, { c: 2, d: 1 }] } };
    expect(canonicalJson(a)).toBe('{"a":null,"z":{"x":"é","y":[1,{"c":2,"d":1}]}}');
    expect(canonicalJson(b)).toBe(canonicalJson(a));
  });

  it('agrees with the plain definition on random values, escapes and surrogates included', () => {
    const rnd = random(8785);
    const texts = [
      '',
      'a"b',
      'back\\slash',
      '\u0000\u001f\u007f',
      '\ud83d\ude00',
      '\ud800',
      'é€',
      '\u2028',
      '10',
      '9',
    ];
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const leaf = (): unknown =>
      pick([
        pick(texts),
        (rnd() - 0.5) * 10 ** Math.floor(rnd() * 40 - 20),
        null,
        true,
        false,
        -0,
        undefined,
        7,
      ]);
    const value = (depth: number): unknown => {
      const r = rnd();
      if (depth > 3 || r < 0.3) return leaf();
      if (r < 0.6) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
      const obj: Record<string, unknown> = {};
      for (let i = Math.floor(rnd() * 5); i > 0; i--)
        obj[pick(texts) + pick(['', '1', 'b'])] = value(depth + 1);
      return obj;
    };
    for (let i = 0; i < 5000; i++) {
      const v = { v: value(0) };
      expect(canonicalJson(v)).toBe(reference(v));
    }
  });

  it('orders the keys of large objects as of small ones (two sorting paths)', () => {
    const rnd = random(3);
    for (const size of [2, 15, 16, 17, 200]) {
      const obj: Record<string, number> = {};
      while (Object.keys(obj).length < size) {
        const key = String.fromCharCode(...Array.from({ length: 3 }, () => 32 + Math.floor(rnd() * 0x3000)));
        obj[key] = Object.keys(obj).length;
      }
      expect(canonicalJson(obj)).toBe(reference(obj));
    }
  });
});

describe("canonicalObjectOpen (sealing's meta, without the copy)", () => {
  /** What it replaces: the copy with the member set and `omit` deleted, serialised, less its closing brace. */
  function viaCopy(obj: unknown, key: string, value: unknown, omit: string): string {
    const copy: Record<string, unknown> = { ...(obj as object), [key]: value };
    if (omit in copy) delete copy[omit];
    return canonicalJson(copy).slice(0, -1);
  }

  it('writes what serialising the copy writes, byte for byte, on random objects', () => {
    const rnd = random(378);
    const texts = [
      '',
      'prevHash',
      'hash',
      'a"b',
      '\u0000',
      '\ud800',
      '\ud83d\ude00',
      'é',
      '10',
      '9',
      'Z',
      'actor',
    ];
    const pick = <T>(xs: T[]): T => xs[Math.floor(rnd() * xs.length)]!;
    const value = (depth: number): unknown => {
      const r = rnd();
      if (depth > 2 || r < 0.4)
        return pick([
          pick(texts),
          (rnd() - 0.5) * 10 ** Math.floor(rnd() * 30 - 15),
          null,
          true,
          -0,
          undefined,
        ]);
      if (r < 0.6) return Array.from({ length: Math.floor(rnd() * 3) }, () => value(depth + 1));
      return object(depth + 1);
    };
    const object = (depth: number): Record<string, unknown> => {
      const obj: Record<string, unknown> = {};
      for (let i = Math.floor(rnd() * 6); i > 0; i--) obj[pick(texts) + pick(['', '', 'b'])] = value(depth);
      return obj;
    };
    for (let i = 0; i < 5000; i++) {
      const obj = object(0);
      const v = pick(['ab'.repeat(32), '', 'é']);
      expect(canonicalObjectOpen(obj, 'prevHash', v, 'hash')).toBe(viaCopy(obj, 'prevHash', v, 'hash'));
    }
  });

  it('takes a missing or primitive object as a spread does', () => {
    for (const obj of [undefined, null, {}, 'ab', 5, ['x', undefined]]) {
      expect(canonicalObjectOpen(obj, 'prevHash', 'p', 'hash')).toBe(viaCopy(obj, 'prevHash', 'p', 'hash'));
    }
  });

  it('refuses what canonicalJson refuses', () => {
    expect(() => canonicalObjectOpen({ n: NaN }, 'prevHash', 'p', 'hash')).toThrow(TypeError);
  });
});

import { canonicalJson, canonicalObjectOpen } from './canonical-json';
import { referenceCanonicalJson as reference } from './testing/canonical-reference';
import { picker, random } from './testing/random';

/** What canonicalObjectOpen replaces: the copy with `key` set and `omit` deleted, serialised, less its brace. */
function viaCopy(obj: unknown, key: string, value: unknown, omit: string): string {
  const copy: Record<string, unknown> = { ...(obj as object), [key]: value };
  if (omit in copy) delete copy[omit];
  return reference(copy).slice(0, -1);
}

/**
 * An object of the given keys in that insertion order, each defined as an own enumerable data property, so
 * `__proto__` is a key like any other (assigning it would set the prototype instead).
 */
function objectOf(entries: [string, unknown][]): Record<string, unknown> {
  const obj: Record<string, unknown> = {};
  for (const [k, v] of entries) {
    Object.defineProperty(obj, k, { value: v, enumerable: true, writable: true, configurable: true });
  }
  return obj;
}

describe('canonicalJson and canonicalObjectOpen on recurring shapes (the shapes they keep)', () => {
  // The generators below rarely repeat one key set, so they hardly reach what is kept per shape: the sorted
  // order served by key sequence, the texts around plain strings, undefined members in any place. First in
  // the file, while nothing else has filled what is kept (the last case fills it).
  const rnd = random(1337);
  const pick = picker(rnd);
  // Integer-like keys ('9', '10') come first in Object.keys, in numeric order, whatever the insertion
  // order; the canonical order is by code units ('10' < '9' < 'A' < '__proto__' < 'a"q' < 'b' < ...).
  const leaves = [
    'x',
    'needs "escape"',
    'back\\slash',
    '\u0001',
    '\ud83d\ude00',
    '\udc00',
    '',
    1.5,
    -0,
    null,
    true,
  ];
  const value = (depth: number): unknown => {
    const r = rnd();
    if (r < 0.15) return undefined;
    if (depth > 1 || r < 0.7) return pick(leaves);
    if (r < 0.85) return Array.from({ length: Math.floor(rnd() * 4) }, () => value(depth + 1));
    return object(depth + 1);
  };
  // A few key sets, each in a random insertion order, so that shapes recur: 1, 2, 6 and 120 orders. The last
  // three share their first key in Object.keys ('0') and their length: they differ only further on.
  const keySets = [
    ['b'],
    ['hash', 'prevHash'],
    ['a"q', '', 'é'],
    ['10', '__proto__', '9', '\ud800', 'A'],
    ['p', '0', 'q'],
    ['p', '0', 'r'],
    ['r', 'q', '0'],
  ];
  const object = (depth: number): Record<string, unknown> => {
    const order = [...pick(keySets)].sort(() => rnd() - 0.5);
    return objectOf(order.map((k) => [k, value(depth)]));
  };

  it('serialises objects of a few key sets, in every insertion order and with any values, as the definition', () => {
    for (let i = 0; i < 5000; i++) {
      const obj = object(0);
      expect(canonicalJson(obj)).toBe(reference(obj));
      const v = pick(['ab'.repeat(32), 'q"uote', '']);
      expect(canonicalObjectOpen(obj, 'prevHash', v, 'hash')).toBe(viaCopy(obj, 'prevHash', v, 'hash'));
    }
  });

  it('serves one shape different members to set and leave out in turn', () => {
    for (let i = 0; i < 2000; i++) {
      const obj = object(0);
      for (const [key, omit] of [
        ['prevHash', 'hash'],
        ['hash', 'prevHash'],
        ['b', '10'],
        ['prevHash', 'hash'],
      ] as const) {
        const v = pick(leaves);
        expect(canonicalObjectOpen(obj, key, v, omit)).toBe(viaCopy(obj, key, v, omit));
      }
    }
  });

  it('serialises objects past what it keeps as the ones it keeps: many shapes, one first key, many keys', () => {
    // More shapes than are kept (1,024), more sharing a first key than are kept per key (8), more keys than a
    // kept shape has (64), longer keys than it has (1,024 characters); then the few key sets above again, now
    // that nothing more is kept.
    for (let i = 0; i < 1500; i++) {
      const entries: [string, unknown][] = [['first', 'x']];
      for (let k = Math.floor(rnd() * 5); k >= 0; k--)
        entries.push([`k${Math.floor(rnd() * 3000)}`, value(1)]);
      const obj = objectOf(entries);
      expect(canonicalJson(obj)).toBe(reference(obj));
    }
    const wide = objectOf(Array.from({ length: 100 }, (_, k) => [`w${(k * 37) % 100}`, pick(leaves)]));
    expect(canonicalJson(wide)).toBe(reference(wide));
    expect(canonicalJson(wide)).toBe(reference(wide));
    const long = objectOf([
      ['z'.repeat(600), 'x'],
      ['y"'.repeat(300), 'q"uote'],
    ]);
    expect(canonicalJson(long)).toBe(reference(long));
    expect(canonicalJson(long)).toBe(reference(long));
    for (let i = 0; i < 1000; i++) {
      const obj = object(0);
      expect(canonicalJson(obj)).toBe(reference(obj));
      expect(canonicalObjectOpen(obj, 'prevHash', 'p', 'hash')).toBe(viaCopy(obj, 'prevHash', 'p', 'hash'));
    }
  });
});

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
    const pick = picker(rnd);
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
    const pick = picker(rnd);
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

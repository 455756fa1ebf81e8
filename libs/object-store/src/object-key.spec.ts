import { InvalidObjectKeyError } from './errors';
import { assertValidKey, assertValidPrefix, normaliseSha256 } from './object-key';

describe('object keys', () => {
  it('accepts slash-separated segments of letters, digits, dot, underscore and hyphen', () => {
    for (const key of [
      'a',
      'documents/0190c3e2-7b1a-7cc0-9f0e-3b5d2a1c4e5f',
      'a/b.c/d_e-f',
      'x'.repeat(255),
      '-a/_b/c.',
    ])
      expect(() => assertValidKey(key)).not.toThrow();
    expect(() => assertValidKey(`${'a/'.repeat(511)}ab`)).not.toThrow();
  });

  it('refuses traversal, absolute paths, empty or dot-led segments, other characters and overlong keys', () => {
    const bad = [
      '',
      '/a',
      'a/',
      'a//b',
      '.',
      '..',
      'a/../b',
      'a..b',
      '.a',
      'a/.b',
      'a b',
      'a\\b',
      'a%2F',
      'é',
    ];
    bad.push(`${'a/'.repeat(512)}b`, 'y'.repeat(256));
    for (const key of bad) expect(() => assertValidKey(key)).toThrow(InvalidObjectKeyError);
    expect(() => assertValidKey(undefined)).toThrow(InvalidObjectKeyError);
  });

  it('accepts any beginning of a valid key as a list prefix, and nothing that could escape', () => {
    for (const prefix of ['', 'documents/', 'documents/01', 'a/b'])
      expect(() => assertValidPrefix(prefix)).not.toThrow();
    for (const prefix of ['/', '/a', '..', 'a/..', 'a b'])
      expect(() => assertValidPrefix(prefix)).toThrow(InvalidObjectKeyError);
  });

  it('normalises an expected SHA-256 to lower case and refuses anything but 64 hex digits', () => {
    expect(normaliseSha256('AB'.repeat(32))).toBe('ab'.repeat(32));
    for (const bad of ['', 'ab', 'g'.repeat(64), 'a'.repeat(65)])
      expect(() => normaliseSha256(bad)).toThrow(TypeError);
  });
});

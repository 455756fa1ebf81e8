import type { AlgorithmInfo } from 'openpgp';
import { KeyValidationError } from './crypto.errors';
import { classifyKeyAlgorithm } from './key-algorithm.policy';

const info = (algorithm: string, extra: Partial<AlgorithmInfo> = {}) =>
  ({ algorithm, ...extra }) as AlgorithmInfo;

function codeOf(input: AlgorithmInfo): string {
  try {
    classifyKeyAlgorithm(input);
    return 'accepted';
  } catch (error) {
    return (error as KeyValidationError).code;
  }
}

describe('organisation key algorithm policy', () => {
  it.each([
    [info('eddsaLegacy', { curve: 'ed25519Legacy' }), 'curve25519'],
    [info('ecdh', { curve: 'curve25519Legacy' }), 'curve25519'],
    [info('ed25519'), 'curve25519'],
    [info('x25519'), 'curve25519'],
    [info('ed448'), 'curve448'],
    [info('ecdsa', { curve: 'nistP256' }), 'ecdsa-p256'],
    [info('ecdsa', { curve: 'nistP384' }), 'ecdsa-p384'],
    [info('ecdh', { curve: 'nistP521' }), 'ecdsa-p521'],
    [info('ecdsa', { curve: 'brainpoolP256r1' }), 'ecdsa-brainpool-p256'],
    [info('rsaEncryptSign', { bits: 3072 }), 'rsa'],
    [info('rsaEncrypt', { bits: 4096 }), 'rsa'],
  ])('accepts %o as %s', (input, label) => {
    expect(classifyKeyAlgorithm(input)).toBe(label);
  });

  it.each([
    [info('rsaEncryptSign', { bits: 2048 }), 'key.too-weak'],
    [info('rsaSign', { bits: 3071 }), 'key.too-weak'],
    [info('dsa', { bits: 3072 }), 'key.too-weak'],
    [info('elgamal', { bits: 4096 }), 'key.too-weak'],
    [info('ecdsa', { curve: 'secp256k1' }), 'key.unsupported-algorithm'],
    [info('ecdsa', { curve: 'ed25519Legacy' }), 'key.unsupported-algorithm'],
    [info('eddsaLegacy', { curve: 'nistP256' }), 'key.unsupported-algorithm'],
    [info('pqc_mlkem_x25519'), 'key.unsupported-algorithm'],
  ])('refuses %o with %s', (input, code) => {
    expect(codeOf(input)).toBe(code);
  });
});

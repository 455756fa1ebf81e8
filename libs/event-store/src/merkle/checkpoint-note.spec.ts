import { createHash, createPublicKey, randomBytes, verify } from 'node:crypto';
import { keyId, NoteSigner, openCheckpoint, parseVerifierKey } from './checkpoint-note';

const seed = Buffer.alloc(32, 7);
const root = createHash('sha256').update('root').digest();

describe('checkpoint notes (C2SP tlog-checkpoint + signed-note, Ed25519)', () => {
  const signer = new NoteSigner('accord.example/log', seed);

  it('writes the checkpoint text, a blank line and one em-dash signature line with key id and signature', () => {
    const note = signer.signCheckpoint({ size: 42, root });
    const [text, sigLine] = note.split('\n\n');
    expect(text).toBe(`accord.example/log\n42\n${root.toString('base64')}`);
    expect(sigLine!.startsWith('\u2014 accord.example/log ')).toBe(true);
    const blob = Buffer.from(sigLine!.trim().split(' ')[2]!, 'base64');
    expect(blob).toHaveLength(68);
    // The key id, computed here from the spec's definition.
    const expectedId = createHash('sha256')
      .update(Buffer.concat([Buffer.from('accord.example/log\n'), Buffer.from([1]), signer.publicKey]))
      .digest()
      .subarray(0, 4);
    expect(blob.subarray(0, 4).equals(expectedId)).toBe(true);
    // The signature covers the text through its final newline, checked with Node's verify directly.
    const spki = Buffer.concat([Buffer.from('302a300506032b6570032100', 'hex'), signer.publicKey]);
    const pub = createPublicKey({ key: spki, format: 'der', type: 'spki' });
    expect(verify(null, Buffer.from(`${text}\n`), pub, blob.subarray(4))).toBe(true);
  });

  it('publishes a verifier key <name>+<hex id>+<base64(0x01 || key)> that parses back', () => {
    const [name, id, key] = signer.verifierKey.split('+');
    expect(name).toBe('accord.example/log');
    expect(id).toBe(keyId(name!, signer.publicKey).toString('hex'));
    expect(Buffer.from(key!, 'base64')[0]).toBe(1);
    expect(parseVerifierKey(signer.verifierKey).publicKey.equals(signer.publicKey)).toBe(true);
    expect(() => parseVerifierKey(signer.verifierKey.replace(/\+[0-9a-f]{8}\+/, '+00000000+'))).toThrow();
    // Keys whose base64 holds '+' (most of them): only the first two '+' separate fields.
    let plus = 0;
    for (let i = 0; i < 64; i++) {
      const s = new NoteSigner('accord.example/log', Buffer.alloc(32, i));
      if (s.verifierKey.split('+').length > 3) plus++;
      expect(parseVerifierKey(s.verifierKey).publicKey.equals(s.publicKey)).toBe(true);
    }
    expect(plus).toBeGreaterThan(0);
  });

  it('opens a good note and refuses a changed size, root, signature or another key', () => {
    const vkey = parseVerifierKey(signer.verifierKey);
    const note = signer.signCheckpoint({ size: 42, root });
    const opened = openCheckpoint(note, vkey);
    expect(opened).toEqual({ ok: true, checkpoint: { origin: 'accord.example/log', size: 42, root } });
    expect(openCheckpoint(note.replace('\n42\n', '\n43\n'), vkey)).toEqual({
      ok: false,
      reason: 'bad-signature',
    });
    const other = new NoteSigner('accord.example/log', randomBytes(32));
    expect(openCheckpoint(other.signCheckpoint({ size: 42, root }), vkey)).toEqual({
      ok: false,
      reason: 'not-signed-by-this-key',
    });
    expect(openCheckpoint('hello\n', vkey)).toEqual({ ok: false, reason: 'malformed-note' });
    // Signed by the right key but not a checkpoint of this origin.
    expect(openCheckpoint(signer.signText('other.origin\n1\nAAAA\n'), vkey).ok).toBe(false);
  });
});

import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NoteSigner } from '@accord/event-store';
import { CHECKPOINT_KEY_FILE, loadCheckpointSigner } from './checkpoint-key';

describe('the checkpoint signing key', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'accord-cpkey-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));
  const origin = 'accord.test/log';

  it('is generated on first start into DATA_DIR with mode 0600, and the same key is loaded after', () => {
    const first = loadCheckpointSigner({ origin, intervalMs: 0 }, dir);
    const file = join(dir, CHECKPOINT_KEY_FILE);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(Buffer.from(readFileSync(file, 'utf8').trim(), 'base64')).toHaveLength(32);
    expect(loadCheckpointSigner({ origin, intervalMs: 0 }, dir).verifierKey).toBe(first.verifierKey);
  });

  it('comes from ACCORD_CHECKPOINT_KEY or the file ACCORD_CHECKPOINT_KEY_FILE names, and then nothing is generated', () => {
    const seed = Buffer.alloc(32, 5);
    const expected = new NoteSigner(origin, seed).verifierKey;
    expect(
      loadCheckpointSigner({ origin, intervalMs: 0, keySeed: seed.toString('base64') }, dir).verifierKey,
    ).toBe(expected);
    const keyFile = join(dir, 'given-key');
    writeFileSync(keyFile, `${seed.toString('base64')}\n`);
    expect(loadCheckpointSigner({ origin, intervalMs: 0, keyFile }, dir).verifierKey).toBe(expected);
    expect(() => statSync(join(dir, CHECKPOINT_KEY_FILE))).toThrow();
    writeFileSync(keyFile, 'short');
    expect(() => loadCheckpointSigner({ origin, intervalMs: 0, keyFile }, dir)).toThrow(/32-byte/);
  });
});

import { randomBytes } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { NoteSigner } from '@accord/event-store';
import { type CheckpointsConfig, createSecretFileOnce } from '@accord/platform';

export const CHECKPOINT_KEY_FILE = 'checkpoint-key';

/**
 * The Ed25519 key that signs checkpoints: ACCORD_CHECKPOINT_KEY (a base64 seed), or the file
 * ACCORD_CHECKPOINT_KEY_FILE names, or DATA_DIR/checkpoint-key, generated on first start with mode 0600 and
 * kept: a new key would leave every witness holding checkpoints it can no longer tie to this log. In
 * cluster mode every api must be given the same key (the variable or a shared file).
 */
export function loadCheckpointSigner(config: CheckpointsConfig, dataDir: string): NoteSigner {
  if (config.keySeed) return new NoteSigner(config.origin, Buffer.from(config.keySeed, 'base64'));
  const file = config.keyFile ?? join(dataDir, CHECKPOINT_KEY_FILE);
  if (!config.keyFile) createSecretFileOnce(file, () => randomBytes(32).toString('base64'));
  const seed = Buffer.from(readFileSync(file, 'utf8').trim(), 'base64');
  if (seed.length !== 32) throw new Error(`${file} must hold the base64 of a 32-byte Ed25519 seed`);
  return new NoteSigner(config.origin, seed);
}

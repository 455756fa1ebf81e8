import { randomBytes } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, openSync, readFileSync, statSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigError } from './accord-config';

export const SECRET_FILE_NAME = 'secret';

/**
 * Writes a key file (mode 0600, fsynced) unless it exists, then makes sure only its owner can read it. 'wx'
 * fails if the file exists, so two processes starting together keep one key.
 */
export function createSecretFileOnce(file: string, content: () => string): void {
  try {
    const fd = openSync(file, 'wx', 0o600);
    try {
      writeSync(fd, content() + '\n');
      fsyncSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
  }
  if ((statSync(file).mode & 0o077) !== 0) chmodSync(file, 0o600);
}

/**
 * The embedded node's HMAC key for subject references: generated once into DATA_DIR/secret (0600) and kept,
 * because a new key would make every stored subject reference unmatchable. Losing the file is losing the
 * subject index's key: back it up with the event store.
 */
export function readOrCreateSecretFile(dataDir: string): string {
  const file = join(dataDir, SECRET_FILE_NAME);
  createSecretFileOnce(file, () => randomBytes(32).toString('hex'));
  const secret = readFileSync(file, 'utf8').trim();
  if (secret.length < 32)
    throw new ConfigError([
      `${file} must hold a secret of at least 32 characters (restore it from backup or set PLATFORM_SECRET)`,
    ]);
  return secret;
}

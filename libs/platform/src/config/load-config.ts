import { mkdirSync } from 'node:fs';
import { ConfigError, LoadedConfig } from './accord-config';
import { Env, parseConfig } from './parse-config';
import { readOrCreateSecretFile } from './platform-secret';
import { describeStartupError, exitWithLine } from '../runtime/process-signals';

/**
 * Parses the environment, creates the data directory and settles the platform secret, then freezes the
 * result. This is the only place a process reads its environment (a lint rule keeps it so).
 */
export function loadConfig(env: Env = process.env, cwd: string = process.cwd()): LoadedConfig {
  const parsed = parseConfig(env, cwd);
  // 0700: the directory holds metadata about people and their documents.
  mkdirSync(parsed.dataDir, { recursive: true, mode: 0o700 });
  const platformSecret = parsed.platformSecret ?? readOrCreateSecretFile(parsed.dataDir);
  return deepFreeze({ ...parsed, platformSecret });
}

/**
 * For a process's main: a bad configuration prints one line naming the variable and exits 1, with no stack
 * trace, before anything else starts.
 */
export function loadConfigOrExit(env: Env = process.env): LoadedConfig {
  try {
    return loadConfig(env);
  } catch (error) {
    exitWithLine(
      error instanceof ConfigError ? error.message : `cannot start: ${describeStartupError(error)}`,
    );
  }
}

function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

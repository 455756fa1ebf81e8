import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { CliError } from './cli-error';

/** Where a client command finds the server and its credentials. */
export interface ClientSettings {
  url: string;
  token: string | undefined;
}

export interface ClientFlags {
  url?: string;
  token?: string;
}

export const DEFAULT_URL = 'http://127.0.0.1:3000';

/** `$XDG_CONFIG_HOME/accord/config.json`, else `~/.config/accord/config.json`. */
export function configFilePath(env: NodeJS.ProcessEnv = process.env): string {
  const base =
    env.XDG_CONFIG_HOME && env.XDG_CONFIG_HOME !== '' ? env.XDG_CONFIG_HOME : join(homedir(), '.config');
  return join(base, 'accord', 'config.json');
}

/**
 * Flags win over the environment (ACCORD_URL, ACCORD_TOKEN), which wins over the config file, which wins
 * over the default URL. Each source is read only when the one before it is silent.
 */
export function resolveClientSettings(
  flags: ClientFlags,
  env: NodeJS.ProcessEnv = process.env,
  readConfigFile: (path: string) => string | undefined = readIfExists,
): ClientSettings {
  const file = configFilePath(env);
  let fromFile: { url?: unknown; token?: unknown } = {};
  const text = readConfigFile(file);
  if (text !== undefined) {
    try {
      fromFile = JSON.parse(text) as typeof fromFile;
    } catch {
      throw new CliError(`${file} is not valid JSON`);
    }
  }
  const pick = (...values: unknown[]): string | undefined =>
    values.find((v): v is string => typeof v === 'string' && v !== '');
  const url = pick(flags.url, env.ACCORD_URL, fromFile.url) ?? DEFAULT_URL;
  try {
    const u = new URL(url);
    if (u.protocol !== 'http:' && u.protocol !== 'https:') throw new Error();
  } catch {
    throw new CliError(`the server URL must be an http:// or https:// URL (got "${url}")`);
  }
  return { url: url.replace(/\/+$/, ''), token: pick(flags.token, env.ACCORD_TOKEN, fromFile.token) };
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
}

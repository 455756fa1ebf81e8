import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The version from the package.json above this file (src/ or dist/). Kept here rather than taken from
 * @accord/platform so that `accord --version` and the client commands do not load the server's modules.
 */
export function cliVersion(): string {
  for (let dir = __dirname; dirname(dir) !== dir; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (!existsSync(file)) continue;
    const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
    if (pkg.name === 'accord' && typeof pkg.version === 'string') return pkg.version;
  }
  return '0.0.0';
}

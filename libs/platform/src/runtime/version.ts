import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

let cached: string | undefined;

/** The product's version from its package.json, found from this file in both src/ and dist/. */
export function accordVersion(): string {
  if (cached !== undefined) return cached;
  for (let dir = __dirname; ; dir = dirname(dir)) {
    const file = join(dir, 'package.json');
    if (existsSync(file)) {
      const pkg = JSON.parse(readFileSync(file, 'utf8')) as { name?: string; version?: string };
      if (pkg.name === 'accord' && typeof pkg.version === 'string') return (cached = pkg.version);
    }
    if (dirname(dir) === dir) return (cached = '0.0.0');
  }
}

import { existsSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * The repository (or installation) root: the nearest folder above the running code holding package.json.
 * The same from the sources (apps/api/src/web under ts-jest) and from the build (dist/apps/api/src/web),
 * so `dist/web` is found whichever runs.
 */
export function installationRoot(from: string = __dirname): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return from;
  }
}

/** Where Vite builds the web app (`npm run build`), unless WEB_DIST_DIR says otherwise. */
export const defaultWebDistDir = (): string => join(installationRoot(), 'dist', 'web');

/**
 * govuk-frontend's built files, from the installed package (the repository's node_modules): its CSS,
 * fonts and images. Resolved through Node's own lookup, so a hoisted or nested install is found alike.
 */
export function govukFrontendDir(): string {
  return join(dirname(require.resolve('govuk-frontend/package.json')), 'dist', 'govuk');
}

/** A regular file exists at `path` (not a folder: a folder under /app/ is an app route). */
export function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

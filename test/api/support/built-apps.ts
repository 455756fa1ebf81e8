import { execSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';

export const ROOT = join(__dirname, '..', '..', '..');

function candidates(app: 'api' | 'worker' | 'cli'): string[] {
  return [join(ROOT, 'dist', 'apps', app, 'src', 'main.js'), join(ROOT, 'dist', 'apps', app, 'main.js')];
}

/** The compiled entry point of an app; builds once if dist/ lacks it (`npm test` builds first anyway). */
export function builtEntry(app: 'api' | 'worker' | 'cli'): string {
  let found = candidates(app).find((f) => existsSync(f));
  if (!found) {
    execSync('npm run build', { cwd: ROOT, stdio: 'ignore' });
    found = candidates(app).find((f) => existsSync(f));
  }
  if (!found) throw new Error(`npm run build did not produce ${candidates(app).join(' or ')}`);
  return found;
}

/** A port nobody listens on right now. */
export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

/** A response body for assertions: tests check its shape with expect(), so `any` is the honest type here. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const json = (res: Response): Promise<any> => res.json();

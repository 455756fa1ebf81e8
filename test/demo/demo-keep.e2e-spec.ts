import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtEntry, ROOT } from '../api/support/built-apps';

/** `accord demo --keep` leaves a newcomer a way into the web app: its address and a token per role. */
describe('accord demo --keep', () => {
  let dataDir: string;
  let stdout = '';
  let child: ReturnType<typeof spawn> | undefined;

  beforeAll(async () => {
    builtEntry('cli');
    dataDir = mkdtempSync(join(tmpdir(), 'accord-demo-keep-'));
    child = spawn(process.execPath, [join(ROOT, 'bin', 'accord'), 'demo', '--keep', '--data-dir', dataDir], {
      cwd: ROOT,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    await new Promise<void>((resolve, reject) => {
      child!.stdout!.on('data', (chunk: Buffer) => {
        stdout += chunk.toString('utf8');
        if (/^still running:/m.test(stdout)) resolve();
      });
      child!.once('exit', (code) => reject(new Error(`demo exited ${code}:\n${stdout}`)));
    });
  }, 110_000);

  afterAll(async () => {
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child!.once('exit', resolve));
      child.kill('SIGINT');
      await exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('prints the web app address and one token per role, each of which signs in', async () => {
    const app = /^web app: (http:\/\/127\.0\.0\.1:\d+)\/app\/ /m.exec(stdout);
    expect(app).not.toBeNull();
    const base = app![1]!;
    const people = [...stdout.matchAll(/^ {2}(\S+) \(([^)]+)\) +(acc_\S+)$/gm)].map((m) => ({
      role: m[1]!,
      org: m[2]!,
      token: m[3]!,
    }));
    expect(people.map((p) => `${p.role} (${p.org})`)).toEqual([
      'admin (platform)',
      'ig-lead (staffordshire-cc)',
      'practitioner (staffordshire-cc)',
      'practitioner (staffordshire-police)',
      'auditor (staffordshire-cc)',
    ]);
    for (const p of people) {
      const res = await fetch(`${base}/session`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ token: p.token }),
      });
      const body = (await res.json()) as { user: { role: string; organisationId: string | null } };
      expect([p.role, res.status, body.user.role]).toEqual([p.role, 201, p.role]);
      expect(body.user.organisationId).toBe(p.org === 'platform' ? null : p.org);
    }
  });
});

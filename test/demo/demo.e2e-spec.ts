import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DEMO_AGREEMENT, DEMO_ORGANISATIONS } from '../../apps/cli/src/demo/staffordshire-fixture';
import { fixture } from '../agreements/support/partnership';
import { builtEntry, ROOT } from '../api/support/built-apps';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

/** The built CLI, as a newcomer runs it: `node bin/accord demo ...`. */
function accord(args: string[]): Promise<Run> {
  builtEntry('cli');
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin', 'accord'), ...args],
      { cwd: ROOT, timeout: 60_000 },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}

describe('accord demo', () => {
  let dataDir: string;
  let run: Run;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'accord-demo-e2e-'));
    run = await accord(['demo', '--data-dir', dataDir]);
  }, 60_000);

  afterAll(() => rmSync(dataDir, { recursive: true, force: true }));

  it('walks the whole product and exits 0', () => {
    expect({ code: run.code, stderr: run.stderr }).toEqual({ code: 0, stderr: '' });
  });

  it('the agreement is activated once all eleven parties signed', () => {
    expect(run.stdout).toMatch(/^✓ activated after 11 signatures$/m);
  });

  it('the police practitioner opens the shared note and the decrypted bytes match', () => {
    expect(run.stdout).toMatch(
      /^✓ police practitioner opened it: .*signature of staffordshire-cc verified.*bytes match$/m,
    );
  });

  it('a practitioner of a party that is not a recipient is refused, and the refusal is audited', () => {
    expect(run.stdout).toMatch(/^✓ probation practitioner \(not a recipient\) was refused: .*AccessDenied/m);
    expect(run.stdout).toMatch(/^ {4}\S+ {2}AccessDenied +practitioner of probation/m);
  });

  it("the document's audit history names who shared and who opened it", () => {
    expect(run.stdout).toMatch(/^ {4}\S+ {2}DocumentShared +practitioner of staffordshire-cc$/m);
    expect(run.stdout).toMatch(/^ {4}\S+ {2}DocumentAccessed +practitioner of staffordshire-police$/m);
  });

  it("an expired note's payload is destroyed by a retention sweep and then answers 410 Gone", () => {
    expect(run.stdout).toMatch(
      /^✓ retention expiry: .*one sweep destroyed its payload; opening it now answers 410 Gone/m,
    );
  });

  it('the hash chains verify after the walk', () => {
    expect(run.stdout).toMatch(/^✓ GET \/audit\/verify ok /m);
  });

  it('points the newcomer at the public register that lists the agreement', () => {
    expect(run.stdout).toMatch(
      /^✓ the public register lists the agreement: http:\/\/127\.0\.0\.1:\d+\/register/m,
    );
  });

  it('every step line is ticked: none failed part-way', () => {
    const steps = run.stdout.split('\n').filter((l) => l !== '' && !l.startsWith('    '));
    const unticked = steps.filter(
      (l) => !l.startsWith('✓ ') && !l.startsWith('- ') && !l.startsWith('demo finished'),
    );
    expect(unticked).toEqual([]);
  });

  it('refuses a data directory that already holds something, leaving it as it was', async () => {
    const used = mkdtempSync(join(tmpdir(), 'accord-demo-used-'));
    try {
      writeFileSync(join(used, 'events.db'), 'not ours');
      const refused = await accord(['demo', '--data-dir', used]);
      expect(refused.code).not.toBe(0);
      expect(refused.stderr).toMatch(/is not empty/);
      expect(readdirSync(used)).toEqual(['events.db']);
      expect(readFileSync(join(used, 'events.db'), 'utf8')).toBe('not ours');
    } finally {
      rmSync(used, { recursive: true, force: true });
    }
  });

  it("the CLI's embedded seed agreement is the shared fixture (ARCHITECTURE 5.2)", () => {
    const f = fixture();
    expect(DEMO_ORGANISATIONS).toEqual(f.organisations);
    const { retentionNote, firstReviewAfterMonths, versions, signatures, ...agreement } =
      f.agreement as typeof f.agreement & Record<string, unknown>;
    void [retentionNote, firstReviewAfterMonths, versions, signatures];
    expect(DEMO_AGREEMENT).toEqual(agreement);
  });
});

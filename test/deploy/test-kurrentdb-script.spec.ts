import { spawnSync } from 'node:child_process';
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/*
 * scripts/test-kurrentdb.sh (`npm run test:kurrentdb`) without Docker: no engine runs where the tests run, so
 * `docker` and `npx` are stand-ins on PATH that log how they were called. What is checked is the script's
 * own behaviour: the one-line refusal without an engine, and with one the order up → jest → down, with
 * KURRENTDB_URL set and the tamper suite left out (it cannot apply to KurrentDB), and down even when the
 * suites fail.
 */

const root = join(__dirname, '..', '..');
const SCRIPT = join(root, 'scripts', 'test-kurrentdb.sh');
const BASH = '/bin/bash';

let bin: string;
let log: string;
beforeEach(() => {
  bin = mkdtempSync(join(tmpdir(), 'accord-kdb-script-'));
  log = join(bin, 'calls.log');
});
afterEach(() => rmSync(bin, { recursive: true, force: true }));

/** A stand-in program that appends its name, arguments and KURRENTDB_URL to the log, then runs `body`. */
function stub(name: string, body: string): void {
  const file = join(bin, name);
  writeFileSync(
    file,
    `#!${BASH}\nprintf '%s\\n' "${name} $* | KURRENTDB_URL=\${KURRENTDB_URL:-}" >> '${log}'\n${body}\n`,
  );
  chmodSync(file, 0o755);
}

function run(path: string) {
  return spawnSync(BASH, [SCRIPT], { cwd: root, env: { PATH: path, HOME: bin }, encoding: 'utf8' });
}

const calls = () => readFileSync(log, 'utf8').trim().split('\n');

it('exits non-zero with one "no Docker engine" line when docker is not on PATH', () => {
  const r = run(bin); // an empty directory: no docker, no npx
  expect(r.status).not.toBe(0);
  expect(r.stdout).toBe('');
  expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^no Docker engine: /)]);
});

it('exits non-zero with one "no Docker engine" line when docker cannot reach an engine, starting nothing', () => {
  stub('docker', '[ "$1" = info ] && { echo "Cannot connect to the Docker daemon" >&2; exit 1; }; exit 0');
  stub('npx', 'exit 0');
  const r = run(bin);
  expect(r.status).not.toBe(0);
  expect(r.stderr.trim().split('\n')).toEqual([expect.stringMatching(/^no Docker engine: /)]);
  expect(calls()).toEqual([expect.stringMatching(/^docker info /)]);
});

it('starts KurrentDB and waits for it, runs the two suites with KURRENTDB_URL, then stops it', () => {
  stub('docker', 'exit 0');
  stub('npx', 'exit 0');
  const r = run(bin);
  expect(r.stderr).not.toMatch(/no Docker/);
  expect(r.status).toBe(0);
  const c = calls();
  const up = c.findIndex((l) => / compose .*--profile kurrentdb up .*--wait .*kurrentdb /.test(l));
  const jest = c.findIndex((l) => l.startsWith('npx jest '));
  const down = c.findIndex((l) => / compose .*--profile kurrentdb down /.test(l));
  expect({ up, jest, down }).toEqual({ up: expect.any(Number), jest: up + 1, down: up + 2 });
  expect(up).toBeGreaterThan(0);
  expect(c[jest]).toContain('libs/event-store/src/adapters/kurrentdb/');
  expect(c[jest]).toContain('test/crash/');
  // The tamper suite edits stored events by SQL: it runs on SQLite and PostgreSQL, not here.
  expect(c[jest]).not.toContain('test/tamper');
  expect(c[jest]).toMatch(/KURRENTDB_URL=kurrentdb:\/\/127\.0\.0\.1:2113\?tls=false$/);
  // Its own compose project, so a developer's stack is left alone; the volumes go with the service.
  expect(c[up]).toContain('--project-name accord-test-kurrentdb');
  expect(c[down]).toContain('--volumes');
});

it('stops KurrentDB and keeps the failure when the suites fail', () => {
  stub('docker', 'exit 0');
  stub('npx', 'exit 3');
  const r = run(bin);
  expect(r.status).toBe(3);
  expect(calls().at(-1)).toMatch(/ compose .*down /);
});

it('stops KurrentDB when it never becomes healthy, and fails', () => {
  stub('docker', 'case "$*" in *" up "*) exit 1;; esac; exit 0');
  stub('npx', 'exit 0');
  const r = run(bin);
  expect(r.status).not.toBe(0);
  const c = calls();
  expect(c.some((l) => l.startsWith('npx '))).toBe(false);
  expect(c.at(-1)).toMatch(/ compose .*down /);
});

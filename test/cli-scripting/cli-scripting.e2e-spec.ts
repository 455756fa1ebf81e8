import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from '../api/support/built-apps';
import { BuiltApi, startBuiltApi } from '../api/support/built-process';
import { accord, CliUser, ensureBuiltCli } from '../cli-documents/support/accord-cli';
import { buildSharingWorld, PURPOSE, SharingWorld } from '../cli-documents/support/sharing-world';

/**
 * The CLI as scripts use it: exit codes by kind of failure, --json that parses, shell completion, the
 * access agreement accepted from the CLI, and `admin init` followed at once by a request. The built CLI
 * runs as separate processes against the built api (its own process on its own DATA_DIR).
 */
describe('accord for scripts (built CLI against the built api)', () => {
  let dataDir: string;
  let api: BuiltApi;
  let url: string;
  let admin: string;
  const nobody = (extra: Partial<CliUser> = {}): CliUser => ({ url, token: '', keyring: dataDir, ...extra });
  const as = (token: string) => nobody({ token });

  beforeAll(async () => {
    ensureBuiltCli();
    dataDir = mkdtempSync(join(tmpdir(), 'accord-cli-scripting-'));
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    api = startBuiltApi(dataDir, port);
    await api.listening;
  });
  afterAll(async () => {
    api?.child.kill('SIGTERM');
    await api?.exited;
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('admin init waits until the running api accepts the new token: the very next request succeeds', async () => {
    const init = await accord(nobody(), ['admin', 'init', '--name', 'Ops', '--json'], {
      env: { DATA_DIR: dataDir },
    });
    expect(init.code).toBe(0);
    const created = JSON.parse(init.stdout) as { token: string; userId: string; api: string; url: string };
    expect(created).toMatchObject({ api: 'accepted', url, token: expect.stringMatching(/^acc_/) });
    admin = created.token;
    // Immediately, no retry: the read model already knows the token.
    const first = await accord(as(admin), ['me', 'show', '--json']);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({ user: { id: created.userId, role: 'admin' } });
    const orgs = await accord(as(admin), ['admin', 'org', 'list', '--json']);
    expect(orgs).toMatchObject({ code: 0 });
    expect(JSON.parse(orgs.stdout)).toEqual([]);
  });

  it('admin init with no api at the URL says so and exits 0 (the token works once one runs)', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'accord-cli-scripting-noapi-'));
    try {
      const closed = `http://127.0.0.1:${await freePort()}`;
      const run = await accord(nobody({ url: closed }), ['admin', 'init'], { env: { DATA_DIR: elsewhere } });
      expect(run.code).toBe(0);
      expect(run.stdout).toMatch(/^acc_[A-Za-z0-9_-]+\n$/);
      expect(run.stderr).toContain(`no api answers at ${closed}`);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  it('admin init fails (exit 1) when the api at the URL never accepts the token: it uses another store', async () => {
    const elsewhere = mkdtempSync(join(tmpdir(), 'accord-cli-scripting-other-'));
    try {
      const run = await accord(nobody(), ['admin', 'init', '--wait', '1'], { env: { DATA_DIR: elsewhere } });
      expect(run.code).toBe(1);
      expect(run.stdout).toMatch(/^acc_/); // created all the same, and shown once
      expect(run.stderr).toMatch(/did not accept the new token within 1 s/);
    } finally {
      rmSync(elsewhere, { recursive: true, force: true });
    }
  });

  let auditor: string;

  it('me accept-access-agreement accepts the current version (read from GET /me) and unlocks audit calls', async () => {
    const org = await accord(as(admin), [
      'admin',
      'org',
      'register',
      'stoke-cc',
      '--name',
      'Stoke-on-Trent City Council',
      '--kind',
      'local-authority',
      '--jurisdiction',
      'GB-ENG',
      '--ico',
      'Z7654321',
      '--json',
    ]);
    expect(org.code).toBe(0);
    expect(JSON.parse(org.stdout)).toMatchObject({ id: 'stoke-cc' });
    // The admin enrols only the organisation's first IG lead, with an enrolment token the lead swaps at once
    // for their own (docs/architecture.md §30.4); the lead then enrols everyone else.
    const lead = await accord(as(admin), [
      'admin',
      'user',
      'enrol',
      '--org',
      'stoke-cc',
      '--name',
      'A. Lead',
      '--email',
      'lead@stoke.example',
      '--role',
      'ig-lead',
      '--json',
    ]);
    expect(lead.code).toBe(0);
    const enrolment = (JSON.parse(lead.stdout) as { token: string }).token;
    const refusedEnrolment = await accord(as(enrolment), ['audit', 'transfers']);
    expect(refusedEnrolment.code).toBe(4);
    expect(refusedEnrolment.stderr).toContain('[auth.enrolment-token]');
    const swapped = await accord(as(enrolment), ['me', 'exchange-token', '--json']);
    expect(swapped.code).toBe(0);
    const leadToken = (JSON.parse(swapped.stdout) as { token: string }).token;
    expect(leadToken).not.toBe(enrolment);
    expect((await accord(as(enrolment), ['me', 'show'])).code).toBe(3); // the enrolment token is dead
    const enrolled = await accord(as(leadToken), [
      'admin',
      'user',
      'enrol',
      '--org',
      'stoke-cc',
      '--name',
      'A. Auditor',
      '--email',
      'auditor@stoke.example',
      '--role',
      'auditor',
      '--json',
    ]);
    auditor = (JSON.parse(enrolled.stdout) as { token: string }).token;

    const before = await accord(as(auditor), ['me', 'show', '--json']);
    const me = JSON.parse(before.stdout) as {
      accessAgreement: { currentVersion: number; accepted: boolean };
    };
    expect(me.accessAgreement.accepted).toBe(false);
    const refused = await accord(as(auditor), ['audit', 'transfers']);
    expect(refused.code).toBe(4);
    expect(refused.stderr).toMatch(/\[user\.access-agreement-not-accepted\]\n$/);

    const accepted = await accord(as(auditor), ['me', 'accept-access-agreement']);
    expect(accepted.code).toBe(0);
    expect(accepted.stdout).toBe(
      `accepted the access agreement, version ${me.accessAgreement.currentVersion}\n`,
    );
    expect(accepted.stderr).toMatch(/version \d+\):\n {2}- /); // the terms accepted, on stderr
    const after = await accord(as(auditor), ['me', 'show', '--json']);
    expect(JSON.parse(after.stdout).accessAgreement).toMatchObject({ accepted: true });
    expect((await accord(as(auditor), ['audit', 'transfers', '--json'])).code).toBe(0);

    // Again, as JSON; and a version that is not the current one is refused by the server.
    const again = await accord(as(auditor), ['me', 'accept-access-agreement', '--json']);
    expect(JSON.parse(again.stdout)).toMatchObject({
      version: me.accessAgreement.currentVersion,
      accepted: true,
    });
    const stale = await accord(as(auditor), [
      'me',
      'accept-access-agreement',
      '--agreement-version',
      String(me.accessAgreement.currentVersion + 1),
    ]);
    expect(stale.code).toBe(4);
  });

  it('exit codes tell the kinds of failure apart', async () => {
    // 2: usage
    expect((await accord(as(admin), ['no-such-command'])).code).toBe(2);
    expect((await accord(as(admin), ['agreements', 'show'])).code).toBe(2); // missing argument
    expect(
      (await accord(as(admin), ['me', 'accept-access-agreement', '--agreement-version', 'x'])).code,
    ).toBe(2);
    // 3: not authenticated
    const noToken = await accord(nobody(), ['me', 'show']);
    expect([noToken.code, noToken.stderr]).toEqual([3, expect.stringMatching(/^accord: no API token/)]);
    expect((await accord(as('acc_not-a-token'), ['me', 'show'])).code).toBe(3);
    // 4: refused by a rule (an auditor registers no organisation: 403)
    const refused = await accord(as(auditor), [
      'admin',
      'org',
      'register',
      'x-cc',
      '--name',
      'X',
      '--kind',
      'local-authority',
      '--jurisdiction',
      'GB-ENG',
      '--ico',
      'Z1111111',
    ]);
    expect(refused.code).toBe(4);
    // 5: not found
    const missing = await accord(as(auditor), ['agreements', 'show', '00000000-0000-7000-8000-000000000000']);
    expect(missing.code).toBe(5);
    // 6: unreachable
    const closed = `http://127.0.0.1:${await freePort()}`;
    const unreachable = await accord(nobody({ url: closed, token: admin }), ['me', 'show']);
    expect([unreachable.code, unreachable.stderr]).toEqual([
      6,
      `accord: cannot reach the server at ${closed}\n`,
    ]);
    // 1: anything else (here, a file that cannot be read)
    const noFile = await accord(as(admin), ['agreements', 'draft', '--file', join(dataDir, 'nope.json')]);
    expect(noFile.code).toBe(1);
    // Every one is a single line, never a stack.
    for (const run of [noToken, refused, missing, unreachable, noFile]) {
      expect(run.stderr).toMatch(/^accord: [^\n]+\n$/);
    }
  });

  it('accord --help lists the exit codes', async () => {
    const help = await accord(nobody(), ['--help']);
    expect(help.code).toBe(0);
    for (const line of [
      /^ {2}2 {2}usage error/m,
      /^ {2}3 {2}not authenticated/m,
      /^ {2}4 {2}refused by a rule/m,
      /^ {2}5 {2}not found/m,
      /^ {2}6 {2}server unreachable/m,
    ]) {
      expect(help.stdout).toMatch(line);
    }
  });
});

describe('accord completion', () => {
  let script: string;
  beforeAll(async () => {
    ensureBuiltCli();
    const run = await accord({ url: 'http://127.0.0.1:1', token: '', keyring: tmpdir() }, [
      'completion',
      'bash',
    ]);
    expect(run.code).toBe(0);
    script = run.stdout;
  });

  /** What bash offers after typing `line` (the last word being completed), with the script sourced. */
  function complete(line: string): string[] {
    const words = line.split(' ');
    const file = join(mkdtempSync(join(tmpdir(), 'accord-completion-')), 'accord.bash');
    writeFileSync(file, script);
    const program = [
      `source ${JSON.stringify(file)}`,
      `COMP_WORDS=(${words.map((w) => JSON.stringify(w)).join(' ')})`,
      `COMP_CWORD=${words.length - 1}`,
      '_accord',
      'printf "%s\\n" "${COMPREPLY[@]}"',
    ].join('\n');
    const run = spawnSync('bash', ['--norc', '--noprofile', '-c', program], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    return run.stdout.split('\n').filter((w) => w !== '');
  }

  it('bash: completes commands, subcommands and their options from the real command tree', () => {
    expect(complete('accord ')).toEqual(
      expect.arrayContaining(['admin', 'share', 'fetch', 'completion', 'me']),
    );
    expect(complete('accord ag')).toEqual(['agreements']);
    expect(complete('accord me ')).toEqual(expect.arrayContaining(['accept-access-agreement', 'show']));
    expect(complete('accord share --j')).toEqual(['--json']);
    expect(complete('accord keys import --')).toEqual(expect.arrayContaining(['--org', '--json']));
    // An option's value is skipped when finding the command: still `share`'s options.
    expect(complete('accord share --agreement abc --pur')).toEqual(['--purpose']);
  });

  it('zsh: a #compdef script that loads the same function through bashcompinit', async () => {
    const run = await accord({ url: 'http://127.0.0.1:1', token: '', keyring: tmpdir() }, [
      'completion',
      'zsh',
    ]);
    expect(run.code).toBe(0);
    expect(run.stdout.split('\n')[0]).toBe('#compdef accord');
    expect(run.stdout).toMatch(/bashcompinit/);
    expect(run.stdout).toContain('complete -o default -F _accord accord');
  });

  it('an unknown shell is a usage error', async () => {
    const run = await accord({ url: 'http://127.0.0.1:1', token: '', keyring: tmpdir() }, [
      'completion',
      'fish',
    ]);
    expect(run.code).toBe(2);
    expect(run.stdout).toBe('');
  });
});

describe('--json on share, fetch and keys', () => {
  let w: SharingWorld;
  beforeAll(async () => {
    ensureBuiltCli();
    w = await buildSharingWorld();
  });
  afterAll(async () => {
    await w?.close();
  });

  it('keys generate, export and import print JSON; share and fetch print JSON', async () => {
    const generated = await accord(w.as('own', 'ig-lead'), [
      'keys',
      'generate',
      '--org',
      w.orgs.own.id,
      '--name',
      'Own',
      '--email',
      'ig@own.test.example',
      '--upload',
      '--json',
    ]);
    expect(generated.code).toBe(0);
    const own = JSON.parse(generated.stdout) as { fingerprint: string };
    expect(own).toEqual({
      fingerprint: expect.stringMatching(/^[0-9a-f]{40}$/),
      org: w.orgs.own.id,
      uploaded: true,
    });

    // The other organisation's key is made elsewhere and imported into its keyring.
    const scratch = join(w.dir, 'scratch-keys');
    const made = await accord(w.as('other', 'ig-lead'), [
      'keys',
      'generate',
      '--org',
      w.orgs.other.id,
      '--name',
      'Other',
      '--email',
      'ig@other.test.example',
      '--keyring',
      scratch,
    ]);
    expect(made.code).toBe(0);
    const exportFile = join(w.dir, 'other.asc');
    const exported = await accord(w.as('other', 'ig-lead'), [
      'keys',
      'export',
      made.stdout.trim(),
      '--private',
      '-o',
      exportFile,
      '--keyring',
      scratch,
      '--json',
    ]);
    expect(JSON.parse(exported.stdout)).toEqual({
      fingerprint: made.stdout.trim(),
      private: true,
      output: exportFile,
    });
    const imported = await accord(w.as('other', 'ig-lead'), [
      'keys',
      'import',
      exportFile,
      '--org',
      w.orgs.other.id,
      '--json',
    ]);
    expect(imported.code).toBe(0);
    expect(JSON.parse(imported.stdout)).toEqual([
      { fingerprint: made.stdout.trim(), private: true, org: w.orgs.other.id },
    ]);
    const uploaded = await accord(w.as('other', 'ig-lead'), ['keys', 'upload', made.stdout.trim(), '--json']);
    expect(JSON.parse(uploaded.stdout)).toEqual({ fingerprint: made.stdout.trim(), org: w.orgs.other.id });

    const file = join(w.dir, 'note.txt');
    writeFileSync(file, 'a case note\n');
    const shared = await accord(w.as('own', 'practitioner'), [
      'share',
      file,
      '--agreement',
      w.agreementId,
      '--to',
      w.orgs.other.id,
      '--purpose',
      PURPOSE,
      '--category',
      'name',
      '--nature',
      'fact',
      '--json',
    ]);
    expect(shared.code).toBe(0);
    const { documentId } = JSON.parse(shared.stdout) as { documentId: string };
    expect(documentId).toMatch(/^[0-9a-f-]{36}$/);

    const target = join(w.dir, 'note-fetched.txt');
    const fetched = await accord(w.as('other', 'practitioner'), [
      'fetch',
      documentId,
      '-o',
      target,
      '--json',
    ]);
    expect(fetched.code).toBe(0);
    expect(JSON.parse(fetched.stdout)).toEqual({
      documentId,
      path: target,
      size: 12,
      senderOrg: w.orgs.own.id,
      signerFingerprint: own.fingerprint,
      signed: true,
    });
    expect(readFileSync(target, 'utf8')).toBe('a case note\n');
  });
});

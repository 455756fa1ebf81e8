import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { NoteSigner } from '@accord/event-store';
import { accord, CliRun, ensureBuiltCli } from '../cli-documents/support/accord-cli';
import { openContent } from '../documents/support/documents-partnership';
import { AuditScenario, buildAuditScenario } from './support/audit-scenario';

/**
 * Issue 12: a partner's machine as a witness of the log, with the built CLI: `audit checkpoint` pins the
 * key and proves each new checkpoint extends the last; `audit verify --checkpoint` online and offline;
 * `audit prove` / `audit verify-proof` with no server.
 */
describe('audit: the CLI witnesses the log', () => {
  let s: AuditScenario;
  let dir: string;
  let checkpoints: string;

  const asAuditor = (args: string[]): Promise<CliRun> =>
    accord({ url: s.world.url, token: s.platformAuditor.token!, keyring: dir }, args, {
      env: { ACCORD_CHECKPOINTS_DIR: checkpoints },
    });
  const offline = (args: string[]): Promise<CliRun> =>
    accord({ url: 'http://127.0.0.1:9', token: '', keyring: dir }, args, {
      env: { ACCORD_CHECKPOINTS_DIR: checkpoints },
    });

  beforeAll(async () => {
    ensureBuiltCli();
    s = await buildAuditScenario();
    dir = mkdtempSync(join(tmpdir(), 'accord-witness-'));
    checkpoints = join(dir, 'checkpoints');
  });
  afterAll(async () => {
    await s?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('audit checkpoint pins the key, then proves each new checkpoint extends the one saved before', async () => {
    const first = await asAuditor(['audit', 'checkpoint']);
    expect(first).toMatchObject({ code: 0 });
    expect(first.stdout).toContain('the first one kept here');
    expect(readFileSync(join(checkpoints, 'key.vkey'), 'utf8')).toMatch(/^accord\.local\/log\+[0-9a-f]{8}\+/);
    const size = Number(readFileSync(join(checkpoints, 'latest.note'), 'utf8').split('\n')[1]);
    expect(size).toBe(await s.store.headPosition());

    expect((await openContent(s.police, s.toPolice)).status).toBe(200);
    const second = await asAuditor(['audit', 'checkpoint', '--out', join(dir, 'held.note')]);
    expect(second).toMatchObject({ code: 0 });
    expect(second.stdout).toContain(`consistent with the one held at ${size}`);
    expect(existsSync(join(checkpoints, `checkpoint-${size}.note`))).toBe(true);
    expect(existsSync(join(dir, 'held.note.vkey'))).toBe(true);
  });

  it('audit verify --checkpoint: online, and offline against an export (which fails with lines removed)', async () => {
    const held = join(checkpoints, 'latest.note');
    expect(await asAuditor(['audit', 'verify', '--checkpoint', held])).toMatchObject({ code: 0 });
    const full = join(dir, 'full.ndjson');
    expect((await asAuditor(['audit', 'export', '--out', full])).code).toBe(0);
    const ok = await offline(['audit', 'verify', '--file', full, '--complete', '--checkpoint', held]);
    expect(ok).toMatchObject({ code: 0 });
    expect(ok.stdout).toContain("have the signed checkpoint's root");

    const cut = join(dir, 'cut.ndjson');
    const lines = readFileSync(full, 'utf8').trimEnd().split('\n');
    // Shortened, and its first line (the head it states) removed as well: on its own the file still verifies
    // its chains; against the checkpoint it does not.
    writeFileSync(cut, lines.slice(1, -3).join('\n') + '\n');
    expect((await offline(['audit', 'verify', '--file', cut, '--complete'])).code).toBe(0);
    const short = await offline(['audit', 'verify', '--file', cut, '--complete', '--checkpoint', held]);
    expect(short.code).toBe(1);
    expect(short.stdout).toContain('export-shorter-than-checkpoint');
    // A note whose size was edited no longer verifies.
    const edited = join(dir, 'edited.note');
    const note = readFileSync(held, 'utf8').split('\n');
    note[1] = String(Number(note[1]) - 1);
    writeFileSync(edited, note.join('\n'));
    const bad = await offline([
      'audit',
      'verify',
      '--file',
      full,
      '--checkpoint',
      edited,
      '--key',
      join(checkpoints, 'key.vkey'),
    ]);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toContain('bad-signature');
  });

  it('audit prove writes a proof that verify-proof checks with no server, and refuses once the event is edited', async () => {
    const shared = (await s.rawEvents()).find((e) => e.type === 'DocumentShared')!;
    const file = join(dir, 'proof.json');
    const run = await asAuditor(['audit', 'prove', shared.eventId, '--out', file]);
    expect(run).toMatchObject({ code: 0 });
    expect(run.stdout).toContain(`leaf ${shared.position - 1}`);
    const verified = await offline(['audit', 'verify-proof', file]);
    expect(verified).toMatchObject({ code: 0 });
    expect(verified.stdout).toContain(`ok: event ${shared.eventId}`);

    const proof = JSON.parse(readFileSync(file, 'utf8'));
    proof.event.data.purpose = 'something else';
    writeFileSync(file, JSON.stringify(proof));
    const refused = await offline(['audit', 'verify-proof', file]);
    expect(refused.code).toBe(1);
    expect(refused.stderr).toContain('event-hash-mismatch');
  });

  it('a proof or export the verifiers cannot use, and a file they cannot read or write, is one line and exit 1, never a stack', async () => {
    const shared = (await s.rawEvents()).find((e) => e.type === 'DocumentShared')!;
    const file = join(dir, 'proof-shapes.json');
    expect(await asAuditor(['audit', 'prove', shared.eventId, '--out', file])).toMatchObject({ code: 0 });
    const proof = JSON.parse(readFileSync(file, 'utf8'));
    const edited = (name: string, text: string) => {
      writeFileSync(join(dir, name), text);
      return join(dir, name);
    };
    const nowhere = join(dir, 'no-such-dir', 'out');
    const cases: [string[], string][] = [
      [
        ['audit', 'verify-proof', edited('p1.json', JSON.stringify({ ...proof, checkpoint: 5 }))],
        'malformed-proof-file',
      ],
      [
        ['audit', 'verify-proof', edited('p2.json', JSON.stringify({ ...proof, event: null }))],
        'malformed-proof-file',
      ],
      [['audit', 'verify-proof', edited('p3.json', 'null')], 'is not a proof file'],
      [['audit', 'verify-proof', edited('p4.json', '{"event":')], 'is not valid JSON'],
      [['audit', 'verify-proof', join(dir, 'missing.json')], 'cannot read'],
      [['audit', 'verify', '--file', join(dir, 'missing.ndjson')], 'cannot read'],
      [['audit', 'verify', '--file', dir], 'cannot read'],
    ];
    for (const [args, message] of cases) {
      const run = await offline(args);
      expect({ args, code: run.code, stderr: run.stderr }).toEqual({
        args,
        code: 1,
        stderr: expect.stringMatching(new RegExp(`^accord: [^\\n]*${message}[^\\n]*\\n$`)),
      });
    }
    for (const args of [
      ['audit', 'verify', '--checkpoint', join(dir, 'missing.note')],
      ['audit', 'prove', shared.eventId, '--out', nowhere],
      ['audit', 'export', '--out', nowhere],
      ['audit', 'checkpoint', '--out', nowhere],
    ]) {
      const run = await asAuditor(args);
      expect({ args, code: run.code, stderr: run.stderr }).toEqual({
        args,
        code: 1,
        stderr: expect.stringMatching(/^accord: cannot (read|write) [^\n]+\n$/),
      });
    }
  });

  it('a checkpoint the platform signed of a different log (a fork) is caught by the next audit checkpoint', async () => {
    // The platform (its key) signs a smaller tree with another root, and this machine saved it.
    const seed = Buffer.from(
      readFileSync(join(s.world.api.config.dataDir, 'checkpoint-key'), 'utf8').trim(),
      'base64',
    );
    const forged = new NoteSigner('accord.local/log', seed).signCheckpoint({
      size: 3,
      root: createHash('sha256').update('another history').digest(),
    });
    writeFileSync(join(checkpoints, 'latest.note'), forged);
    const run = await asAuditor(['audit', 'checkpoint']);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('is not an extension of the checkpoint held here at 3');
  });
});

import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { accord as runCli, ensureBuiltCli } from '../cli-documents/support/accord-cli';
import { openContent } from '../documents/support/documents-partnership';
import { buildSubjectWorld, SubjectWorld } from './support/subject-world';

const NHS = '943 476 5919';

/** `accord subject ...` through the built CLI, against an api in this process. */
describe('accord subject (the CLI over HTTP)', () => {
  let w: SubjectWorld;
  let dir: string;
  let publicTask: string;
  let consent: string;

  beforeAll(async () => {
    ensureBuiltCli();
    dir = mkdtempSync(join(tmpdir(), 'accord-subject-cli-'));
    w = await buildSubjectWorld();
    publicTask = await w.shareAbout({ scheme: 'nhs-number', value: NHS });
    consent = await w.shareAbout({ scheme: 'nhs-number', value: NHS }, { agreementId: w.consent });
    expect((await openContent(w.practitioner('recipient'), publicTask)).status).toBe(200);
  }, 60_000);
  afterAll(async () => {
    await w?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  /** Asynchronous on purpose: the api answers from this same process while the CLI runs. */
  const accord = (...args: string[]) =>
    runCli({ url: w.world.url, token: w.pair.sender.users['ig-lead'].token }, args);

  it('access prints each document with who opened it, and writes the printable report', async () => {
    const file = join(dir, 'report.html');
    const run = await accord('subject', 'access', '--nhs-number', NHS, '--reason', 'letter', '--html', file);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const lines = run.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^[0-9a-f-]{36} access provided documents:2$/);
    expect(run.stdout).toContain(`${publicTask} sent`);
    expect(run.stdout).toContain(`opened`);
    expect(run.stdout).toContain(
      `by ${w.pair.recipient.id} user ${w.pair.recipient.users.practitioner.userId}`,
    );
    const html = readFileSync(file, 'utf8');
    expect(html).toContain('<h1>Subject access report</h1>');
    expect(html).toContain(consent);
  });

  it('restrict, then lift: the subject line is the first line, the documents follow', async () => {
    const restricted = await accord('subject', 'restrict', '--nhs-number', NHS, '--reason', 'disputed');
    expect(restricted.stdout.split('\n')[0]).toMatch(/^[0-9a-f-]{36} restriction restricted$/);
    expect((await openContent(w.practitioner('recipient'), publicTask)).status).toBe(403);
    const lifted = await accord('subject', 'lift', '--nhs-number', NHS, '--reason', 'resolved');
    expect(lifted.stdout.split('\n')[0]).toMatch(/ lift-restriction lifted$/);
    expect((await openContent(w.practitioner('recipient'), publicTask)).status).toBe(200);
  });

  it('erase prints what was erased and what was kept, with the exemption and the reason', async () => {
    const run = await accord('subject', 'erase', '--nhs-number', NHS, '--reason', 'consent withdrawn');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/ erasure partially-erased\n/);
    expect(run.stdout).toContain(`erased ${consent}`);
    expect(run.stdout).toContain(`kept   ${publicTask} (art17-3-b: uk-gdpr-art6-1-e)`);
    expect(run.stdout).toContain('reason: 1 document(s) kept');
  });

  it('refuses a request naming the subject twice or by an invalid NHS number, in one line', async () => {
    const both = await accord('subject', 'access', '--nhs-number', NHS, '--local-ref', 'X', '--reason', 'r');
    expect([both.code, both.stderr]).toEqual([
      2, // usage
      'accord: name the subject with one of --nhs-number or --local-ref\n',
    ]);
    const invalid = await accord('subject', 'access', '--nhs-number', '943 476 5918', '--reason', 'r');
    expect(invalid.code).toBe(4); // refused by a rule (422)
    expect(invalid.stderr).toContain('[subject.nhs-number-invalid]');
    expect(invalid.stderr).not.toContain('9434765918');
  });
});

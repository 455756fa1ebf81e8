import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildCliPartnership, CliPartnership, FIXTURE_FILE, signAll } from './support/partnership';

/** `accord agreements ...` against the api under test, as a user of the partnership. */
describe('accord agreements (the CLI over HTTP)', () => {
  let p: CliPartnership;
  let id: string;

  beforeAll(async () => {
    p = await buildCliPartnership('2025-01-06T09:00:00.000Z');
  });
  afterAll(() => p?.close());

  it('draft --file takes the fixture itself and prints the new id and status', async () => {
    const run = await p.accord('staffordshire-cc', 'agreements', 'draft', '--file', FIXTURE_FILE);
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(/^[0-9a-f-]{36} draft, version 1 awaiting signatures\n$/);
    id = run.stdout.split(' ')[0]!;
  });

  it('sign signs for the caller organisation; the last signature makes it active', async () => {
    const run = await p.accord(
      'cafcass',
      'agreements',
      'sign',
      id,
      '--signatory',
      'Jo Bloggs',
      '--position',
      'Head of Legal',
      '--agreement-version',
      '1',
    );
    expect(run).toMatchObject({ code: 0, stdout: `${id} draft, version 1 awaiting signatures\n` });
    await signAll(
      p,
      id,
      p.fixture.agreement.parties.filter((o) => o !== 'cafcass' && o !== 'uhnm'),
    );
    const last = await p.accord(
      'uhnm',
      'agreements',
      'sign',
      id,
      '--signatory',
      'A N Other',
      '--position',
      'Caldicott Guardian',
    );
    expect(last.stdout).toBe(`${id} active, version 1 in force\n`);
  });

  it('list and show print one agreement per line and its history', async () => {
    const list = await p.accord('probation', 'agreements', 'list', '--status', 'active');
    expect(list.stdout).toBe(`${id}  active, version 1 in force  ${p.fixture.agreement.title}\n`);
    const show = await p.accord('probation', 'agreements', 'show', id);
    expect(show.stdout).toContain(`  lead:      Staffordshire County Council\n`);
    expect(show.stdout).toContain('  version 1 (active): 11 signature(s)\n');
    const json = JSON.parse((await p.accord('probation', 'agreements', 'show', id, '--json')).stdout);
    expect(json).toMatchObject({ id, status: 'active', activeVersion: 1 });
  });

  it('amend, review and terminate each print the agreement as it now stands', async () => {
    const changes = join(p.dir, 'changes.json');
    writeFileSync(changes, JSON.stringify({ retentionPeriod: 'P2Y' }));
    const amend = await p.accord(
      'staffordshire-cc',
      'agreements',
      'amend',
      id,
      '--file',
      changes,
      '--reason',
      'Working Together 2023',
    );
    expect(amend.stdout).toBe(`${id} active, version 1 in force, version 2 awaiting signatures\n`);
    const review = await p.accord('mpft', 'agreements', 'review', id);
    expect(review).toMatchObject({
      code: 0,
      stdout: `${id} active, version 1 in force, version 2 awaiting signatures\n`,
    });
    // Termination is the lead's act; another party's notice would be its withdrawal (docs/architecture.md §28).
    const end = await p.accord(
      'staffordshire-cc',
      'agreements',
      'terminate',
      id,
      '--effective-at',
      '2025-06-30',
    );
    expect(end.stdout).toBe(
      `${id} active, version 1 in force, version 2 awaiting signatures, ends 2025-06-30\n`,
    );
  });

  it('a refusal is one line naming the problem type, with its exit code, never a stack', async () => {
    const run = await p.accord('uhnm', 'agreements', 'review', id, '--next-review-due', 'soon');
    expect(run.code).toBe(4); // refused by a rule (422)
    expect(run.stdout).toBe('');
    expect(run.stderr).toBe(
      'accord: Invalid next review date: an ISO-8601 date or instant is required [agreement.next-review-invalid]\n',
    );
    const missing = await p.accord('uhnm', 'agreements', 'draft', '--file', join(p.dir, 'nope.json'));
    expect(missing).toMatchObject({ code: 1, stderr: `accord: cannot read ${join(p.dir, 'nope.json')}\n` });
  });
});

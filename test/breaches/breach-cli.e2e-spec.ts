import { buildCliPartnership, CliPartnership, seedAgreementBody } from '../agreements/support/partnership';

/** `accord breach ...` through the built CLI: report, assess, notify the ICO, close, list and show. */
describe('accord breach (the CLI over HTTP)', () => {
  let p: CliPartnership;
  let agreementId: string;
  let id: string;
  const lead = 'staffordshire-cc';

  beforeAll(async () => {
    p = await buildCliPartnership('2026-03-02T12:00:00.000Z');
    agreementId = (await p.lead[lead]!.ok('POST', '/agreements', 201, { body: seedAgreementBody() })).body.id;
  });
  afterAll(() => p?.close());

  it('report prints the id, the deadline and the time left', async () => {
    const run = await p.accord(
      lead,
      'breach',
      'report',
      '--discovered-at',
      '2026-03-02T09:00:00Z',
      '--description',
      'Referral emailed to the wrong partner',
      '--severity',
      'high',
      '--agreement',
      agreementId,
      '--category',
      'health',
      '--subjects',
      '2',
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toMatch(
      /^[0-9a-f-]{36} reported ico:awaiting-assessment deadline 2026-03-05T09:00:00.000Z \(69h 0m left\)\n$/,
    );
    id = run.stdout.split(' ')[0]!;
  });

  it('contain suspends a user of the caller’s own organisation and lists it on the breach', async () => {
    const officer = await p.world.enrol('cafcass', 'practitioner');
    const run = await p.accord(
      'cafcass',
      'breach',
      'contain',
      id,
      '--suspend-user',
      officer.userId,
      '--reason',
      'forwarded the referral',
    );
    expect(run).toMatchObject({ code: 0, stderr: '' });
    expect(run.stdout).toBe(
      `${id} reported ico:awaiting-assessment deadline 2026-03-05T09:00:00.000Z (69h 0m left)\n` +
        `  user-suspended ${officer.userId} by cafcass at 2026-03-02T12:00:00.000Z: forwarded the referral\n`,
    );
    expect((await p.accord(lead, 'breach', 'show', id)).stdout).toContain(
      `  contained:   user-suspended ${officer.userId} by cafcass`,
    );
    const both = await p.accord('cafcass', 'breach', 'contain', id, '--reason', 'x');
    expect(both.code).not.toBe(0);
    expect(both.stderr).toContain('exactly one of --suspend-user and --revoke-key');
  });

  it('assess, notify-ico and close walk the lifecycle', async () => {
    expect(
      (await p.accord(lead, 'breach', 'assess', id, '--reportable', 'yes', '--rationale', 'health data'))
        .stdout,
    ).toBe(`${id} assessed ico:due deadline 2026-03-05T09:00:00.000Z (69h 0m left)\n`);
    p.clock.set('2026-03-05T10:00:00.000Z');
    expect((await p.accord(lead, 'breach', 'list', '--overdue')).stdout).toBe(
      `${id} assessed ico:overdue deadline 2026-03-05T09:00:00.000Z (1h 0m past) high\n`,
    );
    expect((await p.accord(lead, 'breach', 'notify-ico', id, '--reference', 'ICO-42')).stdout).toBe(
      `${id} assessed ico:notified deadline 2026-03-05T09:00:00.000Z\n`,
    );
    expect((await p.accord(lead, 'breach', 'list', '--overdue')).stdout).toBe('no breaches\n');
    expect(
      (await p.accord(lead, 'breach', 'close', id, '--outcome', 'recalled', '--lessons', 'check')).stdout,
    ).toBe(`${id} closed ico:notified deadline 2026-03-05T09:00:00.000Z\n`);
    const show = await p.accord('cafcass', 'breach', 'show', id);
    expect(show.stdout).toContain('ICO ref:     ICO-42');
  });

  it('a refusal is one line naming its problem type, with a non-zero exit', async () => {
    const run = await p.accord(lead, 'breach', 'close', id, '--outcome', 'again', '--lessons', 'x');
    expect(run.code).not.toBe(0);
    expect(run.stderr).toContain('[breach.closed]');
  });
});

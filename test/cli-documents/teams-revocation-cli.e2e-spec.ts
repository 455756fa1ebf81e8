import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { accord, CliRun, CliUser, ensureBuiltCli } from './support/accord-cli';
import { buildSharingWorld, CATEGORIES, PASSPHRASE, PURPOSE, SharingWorld } from './support/sharing-world';

/**
 * Issue 13 items 1-3 and `nature` through the built CLI (bin/accord) against the real api: `accord teams`,
 * `share --team` and a required `--nature`, `fetch` showing the nature and taking `--purpose`, `accord revoke`.
 */
describe('accord teams, share --team, fetch --purpose and revoke (the CLI against the real api)', () => {
  let w: SharingWorld;
  let traffic: CliUser;
  let teamId: string;
  let file: string;

  // Exit 4: refused by a rule; 5: gone (410), as a revoked document is (docs/architecture.md §16.1).
  const refused = (run: CliRun, code: string, exit = 4) => {
    expect(run).toMatchObject({ code: exit, stdout: '' });
    expect(run.stderr).toMatch(/^accord: [^\n]+\n$/);
    expect(run.stderr).toContain(code);
  };
  const shareArgs = (extra: string[], agreementId = w.agreementId) => [
    'share',
    file,
    '--agreement',
    agreementId,
    '--to',
    w.orgs.other.id,
    '--purpose',
    PURPOSE,
    '--category',
    CATEGORIES[0]!,
    ...extra,
  ];
  const fetchTo = (user: CliUser, id: string, name: string, extra: string[] = []) =>
    accord(user, ['fetch', id, '-o', join(w.dir, name), ...extra]);

  beforeAll(async () => {
    ensureBuiltCli();
    w = await buildSharingWorld();
    file = join(w.dir, 'case-note.txt');
    writeFileSync(file, 'strategy discussion notes');
    for (const side of ['own', 'other'] as const) {
      const run = await accord(w.as(side, 'ig-lead'), [
        'keys',
        'generate',
        '--org',
        w.orgs[side].id,
        '--name',
        `Org ${side}`,
        '--email',
        `ig@${side}.test.example`,
        '--upload',
      ]);
      expect(run.code).toBe(0);
    }
    const officer = await w.world.enrol(w.orgs.other.id, 'practitioner');
    traffic = { url: w.world.url, token: officer.token, keyring: w.keyrings.other, passphrase: PASSPHRASE };
  });
  afterAll(async () => {
    await w?.close();
  });

  it('teams create / add / list / default: the IG lead manages them; a practitioner cannot', async () => {
    const created = await accord(w.as('other', 'ig-lead'), [
      'teams',
      'create',
      w.orgs.other.id,
      '--name',
      'MASH',
    ]);
    expect(created.code).toBe(0);
    teamId = created.stdout.trim();
    expect(teamId).toMatch(/^[0-9a-f-]{36}$/);
    const member = w.orgs.other.users.practitioner.userId;
    const added = await accord(w.as('other', 'ig-lead'), ['teams', 'add', w.orgs.other.id, teamId, member]);
    expect(added).toMatchObject({ code: 0, stdout: `${teamId}\tMASH\t${member}\n` });
    const listed = await accord(w.as('own', 'practitioner'), ['teams', 'list', w.orgs.other.id]);
    expect(listed).toMatchObject({ code: 0, stdout: `${teamId}\tMASH\n` });
    refused(
      await accord(w.as('other', 'practitioner'), ['teams', 'create', w.orgs.other.id, '--name', 'Mine']),
      'auth.',
    );
    const set = await accord(w.as('other', 'ig-lead'), ['teams', 'default', w.orgs.other.id, 'none']);
    expect(set.stdout).toBe('default receiving team: none (the whole organisation)\n');
  });

  it('share without --nature is refused before anything is sent: there is no silent default', async () => {
    const run = await accord(w.as('own', 'practitioner'), shareArgs([]));
    expect(run.code).not.toBe(0);
    expect(run.stderr).toMatch(/--nature/);
    expect(run.stdout).toBe('');
    const listed = await w.client('own', 'practitioner').ok('GET', '/documents', 200);
    expect(listed.body.items).toEqual([]);
  });

  it('share --team addresses a team: its member fetches (nature shown), the traffic officer is refused; revoke then stops every fetch', async () => {
    const shared = await accord(
      w.as('own', 'practitioner'),
      shareArgs(['--nature', 'opinion', '--team', `${w.orgs.other.id}:${teamId}`]),
    );
    expect(shared.code).toBe(0);
    const id = shared.stdout.trim();

    const fetched = await fetchTo(w.as('other', 'practitioner'), id, 'member.txt');
    expect(fetched.code).toBe(0);
    expect(fetched.stderr).toContain('nature: opinion\n');
    refused(await fetchTo(traffic, id, 'traffic.txt'), 'open.not-addressed');

    const notMine = await accord(w.as('other', 'ig-lead'), ['revoke', id, '--reason', 'not ours']);
    refused(notMine, 'revocation.not-permitted');
    const revoked = await accord(w.as('own', 'practitioner'), [
      'revoke',
      id,
      '--reason',
      'sent to the wrong team',
    ]);
    expect(revoked.code).toBe(0);
    expect(revoked.stdout).toMatch(
      new RegExp(`^revoked ${id} at \\S+; recipients told: ${w.orgs.other.id}\\n$`),
    );
    refused(await fetchTo(w.as('other', 'practitioner'), id, 'after.txt'), 'open.revoked', 5);
  });

  it('fetch --purpose: an agreement requiring purpose confirmation refuses a fetch without it (428) and records the stated purpose', async () => {
    const lead = w.client('own', 'ig-lead');
    const { body } = await lead.ok('POST', '/agreements', 201, {
      body: {
        title: 'Purpose-confirmed CLI agreement',
        purposes: [PURPOSE],
        tier: 1,
        category: 'Safer Community',
        leadOrg: w.orgs.own.id,
        parties: [w.orgs.own.id, w.orgs.other.id],
        lawfulBases: ['uk-gdpr-art6-1-e'],
        dataCategories: CATEGORIES,
        retentionPeriod: 'P1Y',
        requirePurposeConfirmation: true,
      },
    });
    for (const side of ['own', 'other'] as const) {
      await w.client(side, 'ig-lead').ok('POST', `/agreements/${body.id}/signatures`, 201, {
        body: { signatory: 'Test Signatory', position: 'Caldicott Guardian' },
      });
    }
    const shared = await accord(w.as('own', 'practitioner'), shareArgs(['--nature', 'fact'], body.id));
    expect(shared.code).toBe(0);
    const id = shared.stdout.trim();
    refused(await fetchTo(traffic, id, 'no-purpose.txt'), 'open.purpose-required');
    const ok = await fetchTo(traffic, id, 'with-purpose.txt', ['--purpose', PURPOSE]);
    expect(ok.code).toBe(0);
    expect(ok.stderr).toContain('nature: fact\n');
  });
});

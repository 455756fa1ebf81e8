import { accord as runCli, ensureBuiltCli } from '../cli-documents/support/accord-cli';
import { buildRetentionWorld, RetentionWorld } from '../retention/support/retention-world';
import { INCIDENT_ENV, open, settleIncidents } from './support/incidents-world';

/** `accord incident list|show|promote|dismiss` through the built CLI, on incidents real opens raised. */
describe('accord incident (the CLI over HTTP)', () => {
  let w: RetentionWorld;
  let documentId: string;

  beforeAll(async () => {
    ensureBuiltCli();
    w = await buildRetentionWorld(INCIDENT_ENV);
    documentId = (await w.shareDocument(24 * 60 * 60_000)).documentId;
  });
  afterAll(() => w?.close());

  const accord = (token: string, ...args: string[]) => runCli({ url: w.world.url, token }, args);
  const lead = () => w.pair.recipient.users['ig-lead'].token;

  /** Two opens from abroad by two recipient practitioners: two non-uk-access incidents. */
  async function twoIncidents(): Promise<[string, string]> {
    for (let n = 0; n < 2; n++) {
      const user = await w.world.enrol(w.pair.recipient.id, 'practitioner');
      expect(await open(w.world.client(user.token), documentId, { 'x-client-country': 'FR' })).toBe(403);
    }
    await settleIncidents(w.api);
    const run = await accord(lead(), 'incident', 'list', '--status', 'open', '--kind', 'non-uk-access');
    expect(run).toMatchObject({ code: 0, stderr: '' });
    const lines = run.stdout.trim().split('\n');
    expect(lines).toHaveLength(2);
    for (const line of lines) expect(line).toMatch(/^[0-9a-f-]{36} open non-uk-access high \S+: .*FR/);
    return [lines[0]!.split(' ')[0]!, lines[1]!.split(' ')[0]!];
  }

  it('lists, shows, promotes one to a breach and dismisses the other', async () => {
    const [first, second] = await twoIncidents();

    const shown = await accord(lead(), 'incident', 'show', first);
    expect(shown.code).toBe(0);
    expect(shown.stdout).toContain(`  documents:     ${documentId}`);
    expect(shown.stdout).toMatch(/ {2}evidence: {6}[0-9a-f-]{36}/);

    const promoted = await accord(
      lead(),
      'incident',
      'promote',
      first,
      '--near-miss',
      '--idempotency-key',
      'p-1',
    );
    expect(promoted.code).toBe(0);
    const breachId = promoted.stdout.split('\n')[0]!;
    expect(breachId).toMatch(/^[0-9a-f-]{36}$/);
    expect(promoted.stdout).toContain(`${first} promoted non-uk-access`);
    const breach = await w.world.client(lead()).ok('GET', `/breaches/${breachId}`, 200);
    expect(breach.body).toMatchObject({ nearMiss: true, severity: 'high' });
    // The same key again: the same breach, nothing new.
    const again = await accord(
      lead(),
      'incident',
      'promote',
      first,
      '--near-miss',
      '--idempotency-key',
      'p-1',
    );
    expect(again.stdout.split('\n')[0]).toBe(breachId);

    const dismissed = await accord(
      lead(),
      'incident',
      'dismiss',
      second,
      '--reason',
      'staff travelling, VPN off',
    );
    expect(dismissed.code).toBe(0);
    expect(dismissed.stdout).toContain(`${second} dismissed non-uk-access`);
    const json = JSON.parse((await accord(lead(), 'incident', 'list', '--json', '--all')).stdout) as {
      id: string;
      status: string;
    }[];
    expect(
      json
        .filter((i) => i.id === first || i.id === second)
        .map((i) => i.status)
        .sort(),
    ).toEqual(['dismissed', 'promoted']);
  });

  it('refusals come back as the problem, with a non-zero exit', async () => {
    const practitioner = w.pair.recipient.users.practitioner.token;
    const [id] = await twoIncidents();
    const refused = await accord(practitioner, 'incident', 'promote', id);
    expect(refused.code).not.toBe(0);
    expect(refused.stderr).toMatch(/\[auth.forbidden-role\]/);
    const missing = await accord(lead(), 'incident', 'dismiss', id);
    expect(missing.code).not.toBe(0);
    expect(missing.stderr).toMatch(/--reason/);
  });
});

import Database from 'better-sqlite3';
import { execFile } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  breachStreamId,
  documentStreamId,
  incidentStreamId,
  organisationStreamId,
  subjectRequestStreamId,
} from '@accord/domain';
import {
  DEMO_AGREEMENT,
  DEMO_ORGANISATIONS,
  FIXTURE_PATH,
} from '../../apps/cli/src/demo/staffordshire-fixture';
import { fixture, FIXTURE_FILE } from '../agreements/support/partnership';
import { builtEntry, ROOT } from '../api/support/built-apps';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const HOURS_72 = 72 * 3600 * 1000;

interface StoredEvent {
  stream_id: string;
  type: string;
  data: string;
}

/** The events the demo appended, read from its data directory's log: what each printed line stands for. */
function eventsIn(dataDir: string): StoredEvent[] {
  const db = new Database(join(dataDir, 'events.db'), { readonly: true });
  try {
    return db.prepare('SELECT stream_id, type, data FROM events ORDER BY position').all() as StoredEvent[];
  } finally {
    db.close();
  }
}

/** The line's first capture group; fails the test (not a TypeError) when the line is missing. */
function captured(stdout: string, pattern: RegExp): string {
  const match = pattern.exec(stdout);
  expect(match).not.toBeNull();
  return match![1]!;
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
  let events: StoredEvent[];
  let started: number;
  let finished: number;

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'accord-demo-e2e-'));
    started = Date.now();
    run = await accord(['demo', '--data-dir', dataDir]);
    finished = Date.now();
    events = run.code === 0 ? eventsIn(dataDir) : [];
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

  it("a subject access request reports the subject's note and who opened it, from the request's own stream", () => {
    const requestId = captured(
      run.stdout,
      new RegExp(
        `^✓ subject access request \\(Art 15\\) by the staffordshire-cc IG lead: 1 document\\(s\\) held ` +
          `about the synthetic NHS number, opened by practitioner of staffordshire-police \\(request (${UUID})\\)$`,
        'm',
      ),
    );
    expect(
      events.filter((e) => e.stream_id === subjectRequestStreamId(requestId)).map((e) => e.type),
    ).toEqual(['SubjectRequestReceived', 'SubjectAccessProvided']);
  });

  it('a restriction refuses the next open (403 open.processing-restricted) until it is lifted', () => {
    expect(run.stdout).toMatch(
      /^✓ restriction \(Art 18\) on 1 document\(s\): the staffordshire-police practitioner's open is refused, HTTP 403 open\.processing-restricted$/m,
    );
    expect(run.stdout).toMatch(
      /^✓ restriction lifted by the staffordshire-cc IG lead: the same open answers 200 again$/m,
    );
    const types = events.map((e) => e.type);
    const restricted = types.indexOf('ProcessingRestricted');
    const lifted = types.indexOf('RestrictionLifted');
    expect(restricted).toBeGreaterThan(-1);
    expect(lifted).toBeGreaterThan(restricted);
    const between = events.slice(restricted, lifted).map((e) => [e.type, JSON.parse(e.data).reason]);
    expect(between).toContainEqual(['AccessDenied', 'open.processing-restricted']);
    const opensAfterLift = events
      .slice(lifted)
      .filter((e) => e.stream_id === events[lifted]!.stream_id && /Access|Blocked/.test(e.type));
    expect(opensAfterLift[0]?.type).toBe('DocumentAccessed');
  });

  it('an open from outside the UK is refused and the detector raises a non-uk-access incident', () => {
    expect(run.stdout).toMatch(
      /^✓ the staffordshire-police practitioner tries again from France \(x-client-country: FR, .*refused, HTTP 403 transfer\.client-outside-uk$/m,
    );
    const incidentId = captured(
      run.stdout,
      new RegExp(
        `^✓ the platform's detector raised incident (${UUID}): non-uk-access \\(high, open\\), "[^"]*FR`,
        'm',
      ),
    );
    const raised = events.find((e) => e.stream_id === incidentStreamId(incidentId));
    expect(raised?.type).toBe('SecurityIncidentDetected');
  });

  it('the incident is promoted to a breach whose ICO deadline is 72 hours after detection', () => {
    const [, breachId, deadline] =
      new RegExp(
        `^✓ the staffordshire-police IG lead promoted it to breach report (${UUID}) \\(near miss, high\\): ` +
          `ICO deadline (\\S+), 72 h after detection; 11 organisations notified$`,
        'm',
      ).exec(run.stdout) ?? [];
    expect(breachId).toBeDefined();
    const detectedAt = Date.parse(deadline!) - HOURS_72;
    expect(detectedAt).toBeGreaterThanOrEqual(started);
    expect(detectedAt).toBeLessThanOrEqual(finished);
    expect(events.filter((e) => e.stream_id === breachStreamId(breachId)).map((e) => e.type)).toEqual([
      'BreachReported',
      'PartnersNotified',
    ]);
    expect(
      events.find((e) => e.type === 'IncidentPromoted' && JSON.parse(e.data).breachId === breachId),
    ).toBeDefined();
  });

  it("the partner's receiver gets the signed breach notice and verifies it with the secret from configuration", () => {
    expect(run.stdout).toMatch(
      /^✓ staffordshire-cc's IG lead configured a breach webhook to a receiver in this process, http:\/\/127\.0\.0\.1:\d+\/accord\/staffordshire-cc \(signing secret whsec_/m,
    );
    const promoted = captured(run.stdout, new RegExp(`promoted it to breach report (${UUID})`));
    const received = captured(
      run.stdout,
      new RegExp(
        `^✓ staffordshire-cc's receiver got the signed breach\\.partners-notified notice for breach (${UUID}); ` +
          `Accord-Signature verified with the secret from configuration$`,
        'm',
      ),
    );
    expect(received).toBe(promoted);
    // The receiver answers 200 only to a notice whose signature verified (401 otherwise).
    const attempted = events.find(
      (e) => e.type === 'WebhookDeliveryAttempted' && JSON.parse(e.data).breachId === promoted,
    );
    expect(attempted).toBeDefined();
    const outcome = events.find((e) => e.stream_id === attempted!.stream_id && e.type === 'WebhookDelivered');
    expect(JSON.parse(outcome?.data ?? '{}').status).toBe(200);
  });

  describe('a share addressed to a team, its email, and its revocation (docs/architecture.md §24, §25, §27)', () => {
    const teamDocument = () =>
      captured(
        run.stdout,
        new RegExp(
          `^✓ council practitioner shared a second synthetic note with staffordshire-police, addressed to its ` +
            `"Public protection unit" only \\(recipientTeams\\): document (${UUID})$`,
          'm',
        ),
      );
    const teamId = () =>
      captured(
        run.stdout,
        new RegExp(`created the team "Public protection unit" \\((${UUID})\\) and added only`),
      );
    const onDocument = (documentId: string, type: string) =>
      events
        .filter((e) => e.stream_id === documentStreamId(documentId) && e.type === type)
        .map((e) => JSON.parse(e.data) as Record<string, unknown>);

    it("the police's IG lead creates the team and the council addresses a share to it, recorded on DocumentShared", () => {
      const documentId = teamDocument();
      const team = teamId();
      const created = events.find((e) => e.type === 'TeamCreated');
      expect(created?.stream_id).toBe(organisationStreamId('staffordshire-police'));
      expect(JSON.parse(created!.data)).toMatchObject({ teamId: team, name: 'Public protection unit' });
      const [shared] = onDocument(documentId, 'DocumentShared');
      expect(shared).toMatchObject({
        recipients: ['staffordshire-police'],
        recipientTeams: { 'staffordshire-police': [team] },
      });
    });

    it('a police practitioner outside the team is refused (403 open.not-addressed) and the refusal is recorded; the member opens it', () => {
      expect(run.stdout).toMatch(
        /^✓ the staffordshire-police traffic officer \(not in the team\) was refused: HTTP 403 open\.not-addressed, recorded as AccessDenied open\.not-addressed$/m,
      );
      expect(run.stdout).toMatch(
        /^✓ the public protection officer \(in the team\) opened it: decrypted, signature verified, bytes match$/m,
      );
      const documentId = teamDocument();
      expect(onDocument(documentId, 'AccessDenied').map((d) => d.reason)).toContain('open.not-addressed');
      expect(onDocument(documentId, 'DocumentAccessed')).toHaveLength(1);
    });

    it('prints the email the team member received, sent (EmailSent) with the Message-ID it shows, and without the title or the NHS number', () => {
      const documentId = teamDocument();
      const messageId = captured(
        run.stdout,
        /^✓ the email the public protection officer received at public-protection-officer@staffordshire-police\.demo\.example \(through the SMTP server on 127\.0\.0\.1:\d+, Message-ID (<[^>]+>)\):$/m,
      );
      const email = run.stdout
        .split('\n')
        .filter((l) => l.startsWith('    |'))
        .join('\n');
      expect(email).toContain(
        '    | Subject: Accord: a document was shared with you under "Staffordshire Safeguarding Children Board Information Sharing Agreement"',
      );
      expect(email).toMatch(
        new RegExp(`^ {4}\\| Open it: http://127\\.0\\.0\\.1:\\d+/documents/${documentId}$`, 'm'),
      );
      expect(email).not.toMatch(/Synthetic referral|943 ?476 ?5919|Demo Child/);
      expect(run.stdout).toMatch(/^✓ it carries no document title and no personal data /m);
      const sent = events.filter((e) => e.type === 'EmailSent').map((e) => JSON.parse(e.data));
      expect(sent.map((d) => d.messageId)).toContain(messageId);
    });

    it('the sender revokes it: DocumentRevoked, then the next open answers 410 open.revoked and is recorded', () => {
      const documentId = teamDocument();
      expect(run.stdout).toMatch(
        /^✓ the council practitioner revoked it \("sent to the wrong team"\): the public protection officer's next open answers HTTP 410 open\.revoked, recorded as AccessDenied open\.revoked$/m,
      );
      const types = events.filter((e) => e.stream_id === documentStreamId(documentId)).map((e) => e.type);
      const revokedAt = types.indexOf('DocumentRevoked');
      expect(revokedAt).toBeGreaterThan(types.indexOf('DocumentAccessed'));
      expect(onDocument(documentId, 'DocumentRevoked')[0]).toMatchObject({
        reason: 'sent to the wrong team',
      });
      const afterRevocation = events
        .filter((e) => e.stream_id === documentStreamId(documentId))
        .slice(revokedAt)
        .filter((e) => e.type === 'AccessDenied')
        .map((e) => JSON.parse(e.data).reason);
      expect(afterRevocation).toEqual(['open.revoked']);
    });

    it("the revocation notice is in the member's GET /inbox, and was emailed", () => {
      const documentId = teamDocument();
      expect(run.stdout).toMatch(
        new RegExp(
          `^✓ the public protection officer's GET /inbox has the notice: document-revoked for document ${documentId} ` +
            `from staffordshire-cc \\(the reason stays out\\); and by email: "Accord: a document you received was revoked under `,
          'm',
        ),
      );
    });
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

  it('the built CLI carries the one copy of the seed agreement, and the demo drafts its terms (docs/architecture.md §17)', () => {
    // The demo runs from dist alone, so the build must have copied the fixture beside the compiled demo.
    const built = join(ROOT, 'dist', FIXTURE_PATH);
    expect(readFileSync(built, 'utf8')).toBe(readFileSync(FIXTURE_FILE, 'utf8'));
    const f = fixture();
    expect(DEMO_ORGANISATIONS).toEqual(f.organisations);
    const { retentionNote, firstReviewAfterMonths, versions, signatures, ...agreement } =
      f.agreement as typeof f.agreement & Record<string, unknown>;
    void [retentionNote, firstReviewAfterMonths, versions, signatures];
    expect(DEMO_AGREEMENT).toEqual(agreement);
  });
});

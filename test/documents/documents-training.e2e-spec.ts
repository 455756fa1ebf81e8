import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { builtEntry, ROOT } from '../api/support/built-apps';
import {
  buildDocumentsPartnership,
  DocumentsPartnership,
  openContent,
  POLICE,
  SENDER,
  share,
  shareMetadata,
} from './support/documents-partnership';
import { handAppendedAgreement, refused } from './support/policy-refusals';

/**
 * Issue 13 item 8 (docs/architecture.md §28, ISA clause 7.0): an agreement requiring data-protection training
 * within N months refuses, and records, a share or an open by a user without it; recording the training
 * (by the user or their IG lead) lets them through.
 */
describe('documents: training required by the agreement', () => {
  let p: DocumentsPartnership;
  let agreementId: string;
  let senderUserId: string;
  let sender: DocumentsPartnership['practitioner'];
  const meta = () => shareMetadata(p, { agreementId, title: 'Referral' });

  beforeAll(async () => {
    p = await buildDocumentsPartnership();
    agreementId = await handAppendedAgreement(p, {
      parties: [SENDER, POLICE],
      purposes: [p.fixture.agreement.purposes[0]],
      lawfulBases: p.fixture.agreement.lawfulBases,
      dataCategories: ['name', 'health'],
      requireTrainingWithinMonths: 12,
    });
    const enrolled = await p.world.enrol(SENDER, 'practitioner');
    senderUserId = enrolled.userId;
    sender = p.world.client(enrolled.token);
  });
  afterAll(() => p?.close());

  it('a share by an untrained user: 403 training.required, recorded as AccessDenied', async () => {
    await refused(p, sender, meta(), { status: 403, code: 'training.required' });
  });

  it('training completed too long ago still refuses; recorded by the IG lead within the months, the share goes', async () => {
    await sender.ok('POST', `/users/${senderUserId}/training`, 201, {
      body: { course: 'Data Security Awareness', completedOn: '2023-01-10' },
    });
    await refused(p, sender, meta(), { status: 403, code: 'training.required' });
    const future = await sender.request('POST', `/users/${senderUserId}/training`, {
      body: { course: 'Data Security Awareness', completedOn: '2099-01-01' },
    });
    expect(future.status).toBe(422);
    await p.lead[SENDER]!.ok('POST', `/users/${senderUserId}/training`, 201, {
      body: { course: 'Data Security Awareness', completedOn: '2025-01-15' },
    });
    const shared = await share(sender, meta(), 'the referral');
    expect(shared.status).toBe(201);

    // The police practitioner has no training: the open is refused and recorded, then allowed once trained.
    const police = await p.world.enrol(POLICE, 'practitioner');
    const officer = p.world.client(police.token);
    const denied = await openContent(officer, shared.body.documentId);
    expect(denied.status).toBe(403);
    expect(denied.problem?.type).toMatch(/\/training\.required$/);
    await officer.ok('POST', `/users/${police.userId}/training`, 201, {
      body: { course: 'Police data protection', completedOn: '2025-02-01' },
    });
    const opened = await openContent(officer, shared.body.documentId);
    expect(opened.status).toBe(200);
  });

  it('CLI: accord admin user training records it for the IG lead’s user, and the share goes', async () => {
    builtEntry('cli');
    const dir = mkdtempSync(join(tmpdir(), 'accord-training-'));
    try {
      const user = await p.world.enrol(SENDER, 'practitioner');
      await refused(p, p.world.client(user.token), meta(), { status: 403, code: 'training.required' });
      const run = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        const env = {
          PATH: process.env.PATH ?? '',
          XDG_CONFIG_HOME: dir,
          ACCORD_URL: p.world.url,
          ACCORD_TOKEN: p.lead[SENDER]!.token!,
        };
        const args = [
          'admin',
          'user',
          'training',
          user.userId,
          '--course',
          'DSA L1',
          '--completed-on',
          '2025-02-20',
        ];
        execFile(
          process.execPath,
          [join(ROOT, 'bin', 'accord'), ...args],
          { cwd: ROOT, env },
          (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr }),
        );
      });
      expect(run).toMatchObject({
        code: 0,
        stderr: '',
        stdout: `${user.userId} trained 2025-02-20: DSA L1\n`,
      });
      expect((await share(p.world.client(user.token), meta(), 'x')).status).toBe(201);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('another organisation’s IG lead cannot record a user’s training', async () => {
    const reply = await p.lead[POLICE]!.request('POST', `/users/${senderUserId}/training`, {
      body: { course: 'x', completedOn: '2025-01-15' },
    });
    expect(reply.status).toBe(403);
  });
});

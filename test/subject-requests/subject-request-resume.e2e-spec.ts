import { READ_DB, ReadYourWrites } from '@accord/platform';
import type { ReadDb } from '@accord/projections';
import { SubjectRefs } from '../../apps/api/src/documents/subject-refs';
import {
  RESUME_AFTER_MS,
  SubjectRequestResumer,
} from '../../apps/api/src/subject-requests/subject-request-resumer';
import { SubjectRequestWriter } from '../../apps/api/src/subject-requests/subject-request-writer';
import { openContent } from '../documents/support/documents-partnership';
import { buildSubjectWorld, nhs, SubjectWorld } from './support/subject-world';

/**
 * A request the api crashed on after recording it as received, before changing any document (the client
 * never retried): the platform finishes it once it is older than RESUME_AFTER_MS, and only then.
 */
describe('subject requests: the platform finishes what a crash interrupted', () => {
  let w: SubjectWorld;
  let resumer: SubjectRequestResumer;

  beforeAll(async () => {
    w = await buildSubjectWorld();
    resumer = w.api.app.get(SubjectRequestResumer);
  });
  afterAll(() => w?.close());

  /** What the api had recorded when it died: the request received, nothing else. */
  async function receivedOnly(
    kind: 'restriction' | 'erasure',
    subject: { scheme: string; value: string },
  ): Promise<string> {
    const writer = w.api.app.get(SubjectRequestWriter);
    const subjectRef = w.api.app.get(SubjectRefs).refOf(subject.scheme, subject.value);
    const orgId = w.pair.sender.id;
    const id = `0190a1b2-0000-7000-8000-${String(Math.floor(Math.random() * 1e12)).padStart(12, '0')}`;
    await writer.runRequest(
      id,
      {
        type: 'ReceiveSubjectRequest',
        data: {
          kind,
          subjectRef,
          orgId,
          reason: 'interrupted by a crash',
          ...(kind === 'erasure' ? { candidates: await writer.erasureCandidates(orgId, subjectRef) } : {}),
        },
        metadata: { now: w.now() },
      },
      { occurredAt: w.now().toISOString(), actor: { system: 'test' }, correlationId: 'crash' },
    );
    await w.api.app.get(ReadYourWrites).catchUp();
    return id;
  }

  it('a restriction left received is applied and completed, once, after the grace period', async () => {
    const subject = nhs('401 023 2137');
    const documentId = await w.shareAbout(subject);
    const id = await receivedOnly('restriction', subject);

    expect(await resumer.resume()).not.toContain(id);
    expect((await w.streamOf(id)).map((e) => e.type)).toEqual(['SubjectRequestReceived']);
    // The read model that finds it keeps neither the subject reference nor the reason.
    const subjectRef = w.api.app.get(SubjectRefs).refOf(subject.scheme, subject.value);
    const row = w.api.app
      .get<ReadDb>(READ_DB)
      .prepare('SELECT state FROM subject_requests WHERE id = ?')
      .pluck()
      .get(id) as string;
    expect(row).toContain('"status":"received"');
    expect(row).not.toContain(subjectRef);
    expect(row).not.toContain('interrupted by a crash');

    w.advance(RESUME_AFTER_MS + 1000);
    expect(await resumer.resume()).toContain(id);
    expect((await w.streamOf(id)).map((e) => e.type)).toEqual([
      'SubjectRequestReceived',
      'ProcessingRestrictionApplied',
    ]);
    const restricted = (await w.events(documentId)).find((e) => e.type === 'ProcessingRestricted')!;
    expect(restricted.meta.actor).toEqual({ system: 'subject-requests' });
    const opened = await openContent(w.practitioner('recipient'), documentId);
    expect(opened.status).toBe(403);

    await w.settle();
    expect(await resumer.resume()).not.toContain(id);
    expect((await w.streamOf(id)).length).toBe(2);
  });

  it('an erasure left received erases the approved documents, destroys their payloads and records the outcome', async () => {
    const subject = nhs('943 476 5919');
    const documentId = await w.shareAbout(subject, { agreementId: w.consent });
    const { objectKey } = (await w.events(documentId))[0]!.data as { objectKey: string };
    const id = await receivedOnly('erasure', subject);
    expect((await w.streamOf(id)).map((e) => e.type)).toContain('ErasureApproved');

    w.advance(RESUME_AFTER_MS + 1000);
    expect(await resumer.resume()).toContain(id);
    expect((await w.streamOf(id)).map((e) => e.type).at(-1)).toBe('ErasureCompleted');
    expect((await w.events(documentId)).map((e) => e.type).slice(-2)).toEqual([
      'DocumentErased',
      'PayloadDestroyed',
    ]);
    expect(await w.objects.head(objectKey)).toBeNull();
  });
});

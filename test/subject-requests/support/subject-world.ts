import { subjectRequestStreamId } from '@accord/domain';
import type { RecordedEvent } from '@accord/event-store';
import { ApiClient, Reply } from '../../authz/world';
import { pairMetadata, pairTerms } from '../../documents/support/documents-pair';
import { share } from '../../documents/support/documents-partnership';
import { buildRetentionWorld, RetentionWorld } from '../../retention/support/retention-world';

/** A valid NHS number (modulus 11) written with spaces, as people type it. */
export const NHS = '943 476 5919';
export const nhs = (value = NHS) => ({ scheme: 'nhs-number', value });

/**
 * The retention world (a real api on a temp dir; `own` shares to `other` under a public-task agreement)
 * plus a second agreement between them resting on consent, whose documents erasure may reach.
 */
export interface SubjectWorld extends RetentionWorld {
  publicTask: string;
  consent: string;
  /** A plaintext share; `from` sends to the other side. */
  shareAbout(
    subject: { scheme: string; value: string },
    options?: { agreementId?: string; from?: 'sender' | 'recipient'; title?: string },
  ): Promise<string>;
  practitioner(side: 'sender' | 'recipient'): ApiClient;
  request(side: 'sender' | 'recipient', body: unknown, key?: string): Promise<Reply>;
  streamOf(requestId: string): Promise<RecordedEvent[]>;
}

/** `env` goes to the api (a crash suite passes its own DATA_DIR, to run the built api on it afterwards). */
export async function buildSubjectWorld(env: Record<string, string> = {}): Promise<SubjectWorld> {
  const w = await buildRetentionWorld(env);
  const { pair, world } = w;
  const ownLead = world.client(pair.sender.users['ig-lead'].token);
  const drafted = await ownLead.ok('POST', '/agreements', 201, {
    body: {
      ...pairTerms(pair.sender.id, [pair.sender.id, pair.recipient.id]),
      lawfulBases: ['uk-gdpr-art6-1-a'],
    },
  });
  for (const org of [pair.sender, pair.recipient])
    await world
      .client(org.users['ig-lead'].token)
      .ok('POST', `/agreements/${drafted.body.id}/signatures`, 201, {
        body: { signatory: 'Test Signatory', position: 'Caldicott Guardian' },
      });
  const practitioner = (side: 'sender' | 'recipient') => world.client(pair[side].users.practitioner.token);
  return {
    ...w,
    publicTask: pair.agreementId,
    consent: drafted.body.id as string,
    async shareAbout(subject, options = {}) {
      const from = options.from ?? 'sender';
      const to = from === 'sender' ? pair.recipient.id : pair.sender.id;
      const reply = await share(
        practitioner(from),
        pairMetadata(pair, {
          agreementId: options.agreementId ?? pair.agreementId,
          recipients: [to],
          subjects: [subject],
          title: options.title ?? 'Referral',
        }),
        'subject request test body',
      );
      if (reply.status !== 201) throw new Error(`share failed: ${JSON.stringify(reply.body)}`);
      return reply.body.documentId as string;
    },
    practitioner,
    request: (side, body, key) =>
      w.lead(side).post('/subject-requests', body, key ? { 'idempotency-key': key } : undefined),
    streamOf: (requestId) => w.store.readStream(subjectRequestStreamId(requestId)),
  };
}

export const codeOf = (reply: { body?: { type?: unknown } }): string | undefined =>
  typeof reply.body?.type === 'string' ? reply.body.type.split('/').pop() : undefined;

import type { INestApplication } from '@nestjs/common';
import { encryptStream, unlockPrivateKey } from '@accord/crypto';
import { SCHEDULER, type Scheduler } from '@accord/jobs';
import { Clock, ReadYourWrites } from '@accord/platform';
import { RetentionSweep } from '../../../api/src/retention/retention-sweep.job';
import { collect, DemoClient } from './demo-client';
import type { DemoPartnership, Step } from './demo-partnership';
import { DEMO_AGREEMENT } from './staffordshire-fixture';

const RETAIN_MS = 60_000;

export interface RetentionStepOptions {
  app: INestApplication;
  partnership: DemoPartnership;
  sender: DemoClient;
  recipient: DemoClient;
  senderOrg: string;
  recipientOrg: string;
  step: Step;
}

/**
 * Retention expiry without waiting: a second synthetic note kept for one minute, then the api's clock is
 * moved two minutes on and one retention sweep runs now (the api's own sweep runs on an interval). Opening
 * the note afterwards answers 410 Gone: the payload is destroyed, its record and audit trail remain.
 */
export async function retentionStep(o: RetentionStepOptions): Promise<void> {
  const clock = o.app.get(Clock);
  const realNow = clock.now.bind(clock);
  let offset = 0;
  clock.now = () => new Date(realNow().getTime() + offset);

  const plaintext = Buffer.from('SYNTHETIC DEMO NOTE - kept for one minute only.\n', 'utf8');
  const ciphertext = await collect(
    await encryptStream(plaintext, {
      encryptionKeys: [o.recipientOrg, o.senderOrg].map((org) => o.partnership.keys[org]!.publicKey),
      signingKey: await unlockPrivateKey(o.partnership.keys[o.senderOrg]!.privateKey),
    }),
  );
  const reply = await o.sender.share(
    {
      agreementId: o.partnership.agreementId,
      recipients: [o.recipientOrg],
      purpose: DEMO_AGREEMENT.purposes[0],
      dataCategories: ['name'],
      nature: 'fact',
      title: 'Synthetic short-lived note (demo)',
      retainUntil: new Date(realNow().getTime() + RETAIN_MS).toISOString(),
    },
    ciphertext,
  );
  if (reply.status !== 201) throw new Error(`POST /documents (retention): expected 201, got ${reply.status}`);
  const documentId = String(reply.body.documentId);

  offset = 2 * RETAIN_MS;
  const settle = () => o.app.get(ReadYourWrites).catchUp();
  await settle();
  const queued = await o.app.get(RetentionSweep).sweep();
  await o.app.get<Scheduler>(SCHEDULER).idle({ timeoutMs: 20_000 });
  await settle();
  const opened = await o.recipient.content(documentId);
  if (!queued.includes(documentId) || opened.status !== 410) {
    throw new Error(`retention: the expired note was not destroyed (open answered ${opened.status})`);
  }
  o.step(
    `retention expiry: a note kept for 1 minute, clock moved 2 minutes on, one sweep destroyed its ` +
      `payload; opening it now answers 410 Gone (document ${documentId}, record and audit trail kept)`,
  );
}

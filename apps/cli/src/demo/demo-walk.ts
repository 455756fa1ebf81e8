import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decryptToFile, encryptStream, unlockPrivateKey } from '@accord/crypto';
import { collect, DemoClient } from './demo-client';
import { incidentSteps } from './demo-incidents';
import { DemoPartnership, enrol, Step } from './demo-partnership';
import type { DemoMailSink } from './demo-mail-sink';
import { subjectRightsSteps } from './demo-subject-rights';
import { teamAndRevocationSteps } from './demo-teams';
import { DEMO_AGREEMENT } from './staffordshire-fixture';

const COUNCIL = 'staffordshire-cc';
const POLICE = 'staffordshire-police';
const TRUST = 'uhnm';
const BYSTANDER = 'probation';
/** A made-up NHS number whose mod-11 check digit is valid; it belongs to nobody. */
const SYNTHETIC_NHS_NUMBER = '943 476 5919';

/** A synthetic case note: no real person, place or event. */
const CASE_NOTE = [
  'SYNTHETIC DEMO DOCUMENT - NOT REAL PERSONAL DATA',
  'Strategy discussion note, child "Demo Child A", NHS number 943 476 5919 (synthetic).',
  'Concern raised by school nurse; agreed actions: joint visit by social worker and police within 24h.',
  '',
].join('\n');

export interface WalkOptions {
  admin: DemoClient;
  partnership: DemoPartnership;
  /** Where the police practitioner's decrypted copy is written. */
  workDir: string;
  /** The retention-expiry step, run with the council's and the police's practitioners; absent: skipped. */
  retention?: (sender: DemoClient, recipient: DemoClient) => Promise<void>;
  /** The SMTP server the api sends its emails to (SMTP_URL), whose messages the walk prints. */
  mail: DemoMailSink;
  /** The header the api reads a trusted proxy's client country from (CLIENT_COUNTRY_HEADER). */
  clientCountryHeader: string;
  step: Step;
  print: (line: string) => void;
}

/**
 * Share, open, refusal, audit, the subject's rights, a detected incident turned into a breach with its signed
 * webhook, a share to a team with a colleague refused and the email its member received, a revocation,
 * retention, integrity and the register: the product's round trip after seeding.
 */
export async function walkTheProduct(o: WalkOptions): Promise<void> {
  const { admin, partnership: p, step } = o;
  // Each organisation's IG lead enrols its practitioners; the admin enrols only platform staff.
  const councilPractitioner = await enrol(p.leads[COUNCIL]!.client, COUNCIL, 'practitioner');
  const policePractitioner = await enrol(p.leads[POLICE]!.client, POLICE, 'practitioner');
  const probationPractitioner = await enrol(p.leads[BYSTANDER]!.client, BYSTANDER, 'practitioner');
  const auditor = await enrol(admin, 'platform', 'auditor');
  step(
    `their IG leads enrolled practitioners at ${COUNCIL}, ${POLICE} and ${BYSTANDER}; the admin a platform auditor`,
  );

  const plaintext = Buffer.from(CASE_NOTE, 'utf8');
  const signingKey = await unlockPrivateKey(p.keys[COUNCIL]!.privateKey);
  const ciphertext = await collect(
    await encryptStream(plaintext, {
      encryptionKeys: [POLICE, TRUST, COUNCIL].map((org) => p.keys[org]!.publicKey),
      signingKey,
    }),
  );
  const reply = await councilPractitioner.client.share(
    {
      agreementId: p.agreementId,
      recipients: [POLICE, TRUST],
      purpose: DEMO_AGREEMENT.purposes[0],
      dataCategories: ['name', 'health', 'nhs-number'],
      subjects: [{ scheme: 'nhs-number', value: SYNTHETIC_NHS_NUMBER }],
      nature: 'fact',
      title: 'Synthetic strategy discussion note (demo)',
    },
    ciphertext,
  );
  if (reply.status !== 201) throw new Error(`POST /documents: expected 201, got ${reply.status}`);
  const documentId = String(reply.body.documentId);
  step(
    `council practitioner shared a synthetic case note (${plaintext.length} bytes, encrypted and signed ` +
      `on this machine) with ${POLICE} and ${TRUST}: document ${documentId}`,
  );

  const opened = await policePractitioner.client.content(documentId);
  if (opened.status !== 200) throw new Error(`police open: expected 200, got ${opened.status}`);
  const out = join(o.workDir, 'opened-by-police.txt');
  const outcome = await decryptToFile(opened.bytes, out, {
    privateKey: await unlockPrivateKey(p.keys[POLICE]!.privateKey),
    senderKeys: [p.keys[COUNCIL]!.publicKey],
  });
  const match = readFileSync(out).equals(plaintext);
  if (!match) throw new Error('the decrypted bytes differ from what the council shared');
  step(
    `police practitioner opened it: decrypted on this machine, signature of ${COUNCIL} verified ` +
      `(key ${outcome.signerFingerprint ?? '?'}), bytes match`,
  );

  const refused = await probationPractitioner.client.content(documentId);
  if (refused.status === 200) throw new Error('the probation practitioner was given the content');
  const reason =
    String(refused.problem?.type ?? '')
      .split('/')
      .pop() ?? '';

  const { body: history } = await auditor.client.ok(200, 'GET', `/audit/documents/${documentId}/history`);
  const items = history.items as AuditItem[];
  const denial = items.find((e) => e.type === 'AccessDenied' && e.actor.orgId === BYSTANDER);
  if (!denial) throw new Error('no AccessDenied in the audit history for the refused open');
  step(
    `${BYSTANDER} practitioner (not a recipient) was refused: HTTP ${refused.status} ${reason}, ` +
      `recorded as AccessDenied ${String(denial.details.reason ?? '')}`,
  );

  step(`audit history of document ${documentId} (as the platform auditor):`);
  for (const e of items) o.print(`    ${e.occurredAt}  ${e.type.padEnd(16)} ${describeActor(e)}`);

  await subjectRightsSteps({
    senderLead: p.leads[COUNCIL]!.client,
    senderOrg: COUNCIL,
    recipient: policePractitioner.client,
    recipientOrg: POLICE,
    documentId,
    subject: { scheme: 'nhs-number', value: SYNTHETIC_NHS_NUMBER },
    step,
  });
  await incidentSteps({
    practitioner: policePractitioner.client,
    practitionerOrg: POLICE,
    lead: p.leads[POLICE]!.client,
    partnerOrg: COUNCIL,
    partnerLead: p.leads[COUNCIL]!.client,
    agreementId: p.agreementId,
    documentId,
    clientCountryHeader: o.clientCountryHeader,
    step,
  });

  await teamAndRevocationSteps({
    partnership: p,
    senderOrg: COUNCIL,
    sender: councilPractitioner.client,
    recipientOrg: POLICE,
    auditor: auditor.client,
    mail: o.mail,
    workDir: o.workDir,
    step,
    print: o.print,
  });

  if (o.retention) await o.retention(councilPractitioner.client, policePractitioner.client);
  else o.print('- retention expiry: not yet available (the retention sweep is not built yet)');

  const { body: report } = await auditor.client.ok(200, 'GET', '/audit/verify');
  if (report.ok !== true) throw new Error('GET /audit/verify did not answer ok');
  step(
    `GET /audit/verify ok (${report.eventsChecked} events in ${report.streams} hash chains, ` +
      `${report.objectsChecked} live stored object(s) checked)`,
  );

  const { body: register } = await new DemoClient(admin.url).ok(200, 'GET', '/register');
  if (!JSON.stringify(register).includes(DEMO_AGREEMENT.title)) {
    throw new Error('the public register does not list the agreement');
  }
  step(`the public register lists the agreement: ${admin.url}/register (API docs: ${admin.url}/docs)`);
}

interface AuditItem {
  type: string;
  occurredAt: string;
  actor: { userId: string | null; orgId: string | null; role: string | null; system: string | null };
  details: Record<string, unknown>;
}

function describeActor(e: AuditItem): string {
  const who = e.actor.system
    ? `system ${e.actor.system}`
    : `${e.actor.role ?? 'user'} of ${e.actor.orgId ?? 'platform'}`;
  const why = typeof e.details.reason === 'string' ? ` (${e.details.reason})` : '';
  return `${who}${why}`;
}

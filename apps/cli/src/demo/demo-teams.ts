import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { decryptToFile, encryptStream, unlockPrivateKey } from '@accord/crypto';
import { collect, DemoClient, pollFor, problemCode } from './demo-client';
import type { DemoEmail, DemoMailSink } from './demo-mail-sink';
import { type DemoPartnership, type DemoUser, enrol, type Step } from './demo-partnership';
import { DEMO_AGREEMENT } from './staffordshire-fixture';

const TEAM_NAME = 'Public protection unit';
/** A made-up NHS number whose mod-11 check digit is valid; it belongs to nobody. */
const SYNTHETIC_NHS_NUMBER = '943 476 5919';
const TITLE = 'Synthetic referral for the public protection unit (demo)';
const NOTE = [
  'SYNTHETIC DEMO DOCUMENT - NOT REAL PERSONAL DATA',
  'Referral to the public protection unit about "Demo Child A", NHS number 943 476 5919 (synthetic).',
  '',
].join('\n');

export interface TeamStepsOptions {
  partnership: DemoPartnership;
  senderOrg: string;
  /** The council practitioner who shares, and later revokes. */
  sender: DemoClient;
  recipientOrg: string;
  /** Reads the audit history, to show each refusal was recorded. */
  auditor: DemoClient;
  mail: DemoMailSink;
  /** Where the team member's decrypted copy is written. */
  workDir: string;
  step: Step;
  print: (line: string) => void;
}

/**
 * Need-to-know inside a partner (docs/architecture.md §24), the email a recipient gets (§27) and revocation
 * (§25): the police's IG lead makes a team, the council shares a note addressed to it, a police colleague
 * outside the team is refused while the member opens it, the member's email is printed as received by the
 * SMTP sink, then the sender revokes the note, the next open answers 410 and the member's inbox has the notice.
 */
export async function teamAndRevocationSteps(o: TeamStepsOptions): Promise<void> {
  const { partnership: p, step } = o;
  const lead = p.leads[o.recipientOrg]!.client;
  const member = await enrol(lead, o.recipientOrg, 'practitioner', 'public protection officer');
  const outsider = await enrol(lead, o.recipientOrg, 'practitioner', 'traffic officer');
  const { body: team } = await lead.ok(201, 'POST', `/organisations/${o.recipientOrg}/teams`, {
    name: TEAM_NAME,
  });
  const teamId = String(team.id);
  await lead.ok(200, 'PUT', `/organisations/${o.recipientOrg}/teams/${teamId}/members/${member.userId}`);
  step(
    `the ${o.recipientOrg} IG lead enrolled a public protection officer and a traffic officer (both ` +
      `practitioners), created the team "${TEAM_NAME}" (${teamId}) and added only the public protection officer`,
  );

  const plaintext = Buffer.from(NOTE, 'utf8');
  const ciphertext = await collect(
    await encryptStream(plaintext, {
      encryptionKeys: [o.recipientOrg, o.senderOrg].map((org) => p.keys[org]!.publicKey),
      signingKey: await unlockPrivateKey(p.keys[o.senderOrg]!.privateKey),
    }),
  );
  const shared = await o.sender.share(
    {
      agreementId: p.agreementId,
      recipients: [o.recipientOrg],
      recipientTeams: { [o.recipientOrg]: [teamId] },
      purpose: DEMO_AGREEMENT.purposes[0],
      dataCategories: ['name', 'health', 'nhs-number'],
      subjects: [{ scheme: 'nhs-number', value: SYNTHETIC_NHS_NUMBER }],
      nature: 'opinion',
      title: TITLE,
    },
    ciphertext,
  );
  if (shared.status !== 201) {
    throw new Error(
      `POST /documents (to a team): expected 201, got ${shared.status} ${problemCode(shared.body)}`,
    );
  }
  const documentId = String(shared.body.documentId);
  step(
    `council practitioner shared a second synthetic note with ${o.recipientOrg}, addressed to its ` +
      `"${TEAM_NAME}" only (recipientTeams): document ${documentId}`,
  );

  const refused = await outsider.client.content(documentId);
  if (refused.status !== 403)
    throw new Error(`the traffic officer's open answered ${refused.status}, not 403`);
  const notAddressed = await recordedDenial(
    o.auditor,
    documentId,
    outsider.userId,
    problemCode(refused.problem),
  );
  step(
    `the ${o.recipientOrg} traffic officer (not in the team) was refused: HTTP ${refused.status} ` +
      `${problemCode(refused.problem)}, recorded as AccessDenied ${notAddressed}`,
  );

  const opened = await member.client.content(documentId);
  if (opened.status !== 200) throw new Error(`the team member's open answered ${opened.status}, not 200`);
  const out = join(o.workDir, 'opened-by-public-protection-officer.txt');
  await decryptToFile(opened.bytes, out, {
    privateKey: await unlockPrivateKey(p.keys[o.recipientOrg]!.privateKey),
    senderKeys: [p.keys[o.senderOrg]!.publicKey],
  });
  if (!readFileSync(out).equals(plaintext)) throw new Error('the team member decrypted other bytes');
  step(`the public protection officer (in the team) opened it: decrypted, signature verified, bytes match`);

  const received = await emailFor(o.mail, member, documentId, 'shared with you');
  step(
    `the email the public protection officer received at ${member.email} ` +
      `(through the SMTP server on 127.0.0.1:${o.mail.port}, Message-ID ${received.messageId}):`,
  );
  printEmail(received, o.print);
  const leaks = [TITLE, SYNTHETIC_NHS_NUMBER, SYNTHETIC_NHS_NUMBER.replace(/ /g, ''), 'Demo Child'].filter(
    (text) => `${received.subject}\n${received.body}`.includes(text),
  );
  if (leaks.length > 0) throw new Error(`the email carries ${leaks.join(', ')}`);
  const toOutsider = o.mail.received.some(
    (m) => m.to.includes(outsider.email) && m.body.includes(documentId),
  );
  if (toOutsider) throw new Error('the traffic officer was emailed about a document not addressed to them');
  step(
    "it carries no document title and no personal data (neither the note's title nor the NHS number), " +
      'only the agreement and a link; the traffic officer was sent nothing about it',
  );

  const reason = 'sent to the wrong team';
  await o.sender.ok(201, 'POST', `/documents/${documentId}/revocation`, { reason });
  const after = await member.client.content(documentId);
  if (after.status !== 410) throw new Error(`an open after the revocation answered ${after.status}, not 410`);
  const revoked = await recordedDenial(o.auditor, documentId, member.userId, problemCode(after.problem));
  step(
    `the council practitioner revoked it ("${reason}"): the public protection officer's next open answers ` +
      `HTTP ${after.status} ${problemCode(after.problem)}, recorded as AccessDenied ${revoked}`,
  );

  const notice = await pollFor(
    async () => {
      const { body } = await member.client.ok(200, 'GET', '/inbox');
      return (body.items as InboxEntry[]).find(
        (e) => e.kind === 'document-revoked' && e.documentId === documentId,
      );
    },
    { timeoutMs: 10_000 },
  );
  if (!notice) throw new Error('no document-revoked entry in the team member GET /inbox');
  const revokedEmail = await emailFor(o.mail, member, documentId, 'revoked');
  step(
    `the public protection officer's GET /inbox has the notice: ${notice.kind} for document ` +
      `${notice.documentId} from ${notice.senderOrg} (the reason stays out); and by email: "${revokedEmail.subject}"`,
  );
}

interface InboxEntry {
  kind: string;
  documentId: string;
  senderOrg: string;
}

interface HistoryItem {
  type: string;
  actor: { userId: string | null };
  details: Record<string, unknown>;
}

/** The reason of the AccessDenied the audit history holds for `userId`'s refused open with that reason. */
async function recordedDenial(auditor: DemoClient, documentId: string, userId: string, reason: string) {
  const { body } = await auditor.ok(200, 'GET', `/audit/documents/${documentId}/history`);
  const denial = (body.items as HistoryItem[]).find(
    (e) => e.type === 'AccessDenied' && e.actor.userId === userId && e.details.reason === reason,
  );
  if (!denial) throw new Error(`no AccessDenied ${reason} in the audit history of document ${documentId}`);
  return String(denial.details.reason);
}

/** Waits for the email about `documentId` to `user` whose subject says `what`. */
async function emailFor(mail: DemoMailSink, user: DemoUser, documentId: string, what: string) {
  const found = await pollFor(
    () =>
      mail.received.find(
        (m) => m.to.includes(user.email) && m.subject.includes(what) && m.body.includes(documentId),
      ),
    { timeoutMs: 15_000 },
  );
  if (!found) throw new Error(`no email "${what}" about document ${documentId} reached ${user.email}`);
  return found;
}

function printEmail(email: DemoEmail, print: (line: string) => void): void {
  print(`    | Subject: ${email.subject}`);
  print('    |');
  for (const line of email.body.trimEnd().split('\n')) print(`    | ${line}`.trimEnd());
}

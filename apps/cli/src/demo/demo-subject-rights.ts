import type { ReportOpening } from '@accord/domain';
import { DemoClient, problemCode } from './demo-client';
import type { Step } from './demo-partnership';

export interface SubjectRightsOptions {
  /** The IG lead of the organisation that shared the document: it answers for the subject's rights. */
  senderLead: DemoClient;
  senderOrg: string;
  /** A recipient's practitioner, whose opens the restriction must stop. */
  recipient: DemoClient;
  recipientOrg: string;
  documentId: string;
  subject: { scheme: 'nhs-number' | 'local-ref'; value: string };
  step: Step;
}

/**
 * UK GDPR Arts 15 and 18 for the demo's synthetic subject: the sharing organisation's IG lead asks what is
 * held (and who opened it), restricts processing, the recipient's next open is refused, then lifts it and
 * the open works again. Every check throws, so a step that did nothing never prints its line.
 */
export async function subjectRightsSteps(o: SubjectRightsOptions): Promise<void> {
  const submit = (kind: string, reason: string) =>
    o.senderLead.ok(201, 'POST', '/subject-requests', { kind, subject: o.subject, reason });

  const { body: access } = await submit('access', 'synthetic subject access request (demo)');
  const { body: report } = await o.senderLead.ok(200, 'GET', String(access.report));
  const documents = report.documents as { documentId: string; openings: ReportOpening[] }[];
  const ours = documents.find((d) => d.documentId === o.documentId);
  if (!ours || ours.openings.length === 0) {
    throw new Error('the subject access report does not list the shared note and its opening');
  }
  const openers = [...new Set(ours.openings.map((x) => `${x.role ?? 'user'} of ${x.orgId}`))];
  o.step(
    `subject access request (Art 15) by the ${o.senderOrg} IG lead: ${documents.length} document(s) held ` +
      `about the synthetic NHS number, opened by ${openers.join(', ')} (request ${String(access.id)})`,
  );

  const { body: restriction } = await submit('restriction', 'accuracy disputed (demo)');
  if (!(restriction.documentIds as string[]).includes(o.documentId)) {
    throw new Error('the restriction did not cover the shared note');
  }
  const refused = await o.recipient.content(o.documentId);
  const code = problemCode(refused.problem);
  if (refused.status !== 403 || code !== 'open.processing-restricted') {
    throw new Error(
      `open while restricted: expected 403 open.processing-restricted, got ${refused.status} ${code}`,
    );
  }
  o.step(
    `restriction (Art 18) on ${(restriction.documentIds as string[]).length} document(s): the ` +
      `${o.recipientOrg} practitioner's open is refused, HTTP ${refused.status} ${code}`,
  );

  const { body: lifted } = await submit('lift-restriction', 'accuracy confirmed (demo)');
  const reopened = await o.recipient.content(o.documentId);
  if (lifted.outcome !== 'lifted' || reopened.status !== 200) {
    throw new Error(`after the lift: outcome ${String(lifted.outcome)}, open answered ${reopened.status}`);
  }
  o.step(`restriction lifted by the ${o.senderOrg} IG lead: the same open answers 200 again`);
}

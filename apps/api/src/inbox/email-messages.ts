import type { EmailKind, EmailRefs } from '@accord/domain';

export interface EmailContent {
  subject: string;
  text: string;
}

/** A header must not carry a line break; a long title is cut. The title is an agreement's, never a document's. */
function oneLine(text: string): string {
  const flat = text.replace(/[\r\n\t]+/g, ' ').trim();
  return flat.length > 120 ? `${flat.slice(0, 117)}...` : flat;
}

/**
 * What an email says (docs/architecture.md §27): what happened, the agreement's title and a link; never a
 * document's title, a subject's identifier, a name or a free-text reason (§19.3). The reader follows the link
 * (with their token) or runs the CLI to see more.
 */
export function emailContent(
  kind: EmailKind,
  refs: EmailRefs,
  agreementTitle: string | undefined,
  publicUrl: string,
): EmailContent {
  const under = agreementTitle === undefined ? '' : ` under "${oneLine(agreementTitle)}"`;
  const doc = refs.documentId === undefined ? '' : `${publicUrl}/documents/${refs.documentId}`;
  const agreement = refs.agreementId === undefined ? '' : `${publicUrl}/agreements/${refs.agreementId}`;
  const breach = refs.breachId === undefined ? '' : `${publicUrl}/breaches/${refs.breachId}`;
  const due = refs.dueAt === undefined ? '' : refs.dueAt;
  const footer =
    '\n\nThis message holds no personal data. Sign in to Accord to see more; do not reply to this address.\n';
  const lines = (subject: string, ...body: string[]): EmailContent => ({
    subject: `Accord: ${subject}`,
    text: body.filter((l) => l !== '').join('\n') + footer,
  });
  switch (kind) {
    case 'document-received':
      return lines(
        `a document was shared with you${under}`,
        `A document was shared with you${under}.`,
        `Open it: ${doc}`,
        refs.documentId === undefined ? '' : `Or with the CLI: accord fetch ${refs.documentId}`,
        'It is listed in your inbox (accord inbox).',
      );
    case 'document-destroyed':
      return lines(
        `a document you received was destroyed${under}`,
        `A document you received${under} was destroyed (its retention ended, or it was erased). It can no longer be opened.`,
        `Document: ${doc}`,
      );
    case 'document-superseded':
      return lines(
        `a document you received was corrected${under}`,
        `A document you received${under} was rectified: a corrected document supersedes it. Use the corrected one.`,
        `Document: ${doc}`,
      );
    case 'document-revoked':
      return lines(
        `a document you received was revoked${under}`,
        `The sender revoked a document you received${under}. It can no longer be opened.`,
        `Document: ${doc}`,
      );
    case 'signature-requested':
      return lines(
        `an agreement awaits your organisation's signature${under}`,
        `A version of the agreement${under} awaits your organisation's signature.`,
        `Agreement: ${agreement}`,
      );
    case 'agreement-activated':
      return lines(
        `an agreement is in force${under}`,
        `Every party signed: the agreement${under} is in force.`,
        `Agreement: ${agreement}`,
      );
    case 'agreement-terminated':
      return lines(
        `notice of termination${under}`,
        `Notice of termination was served on the agreement${under}.`,
        `Agreement: ${agreement}`,
      );
    case 'breach-reported':
      return lines(
        `a data breach was reported to your organisation${under}`,
        `A partner reported a data breach${under}. Assess your organisation's exposure.`,
        `Breach: ${breach}`,
      );
    case 'review-reminder':
      return lines(
        `an agreement's review is due${under}`,
        `The review of the agreement${under} is due on ${due.slice(0, 10)}.`,
        `Agreement: ${agreement}`,
      );
    case 'breach-ico-24-hours':
      return lines(
        `24 hours left to notify the ICO`,
        `A breach your organisation reported${under} has not been notified to the ICO; the 72-hour deadline (UK GDPR Art 33) is ${due}.`,
        `Breach: ${breach}`,
      );
    default: {
      const never: never = kind;
      throw new Error(`unknown email kind ${String(never)}`);
    }
  }
}

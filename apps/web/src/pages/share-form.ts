import { dataCategoryLabel } from '../components/vocabulary';
import type { AgreementDetail } from '../types';
import type { ShareField } from './share-upload';

export interface ShareForm {
  file: File | null;
  agreementId: string;
  recipients: string[];
  /** Per recipient organisation, the team ids chosen (none: its receiving team). */
  teams: Record<string, string[]>;
  purpose: string;
  dataCategories: string[];
  nature: string;
  title: string;
  subjects: string;
  retainDay: string;
  retainMonth: string;
  retainYear: string;
}

/** What the page checks before encrypting (the api checks everything again and has the last word). */
export function validateShare(f: ShareForm): Partial<Record<ShareField, string>> {
  const e: Partial<Record<ShareField, string>> = {};
  if (!f.file) e.file = 'Select a file to share';
  else if (f.file.size === 0) e.file = 'The selected file is empty';
  if (!f.agreementId) e.agreement = 'Select the agreement you are sharing under';
  if (f.agreementId && f.recipients.length === 0) e.recipients = 'Select at least one recipient';
  if (f.agreementId && !f.purpose) e.purpose = 'Select the purpose of sharing';
  if (f.agreementId && f.dataCategories.length === 0)
    e.dataCategories = 'Select the kinds of data in the file';
  if (!f.nature) e.nature = 'Select whether the document is fact, opinion or both';
  if (f.title.trim().length > 300) e.title = 'Title must be 300 characters or fewer';
  try {
    parseSubjects(f.subjects);
  } catch (err) {
    e.subjects = (err as Error).message;
  }
  const anyDate = f.retainDay || f.retainMonth || f.retainYear;
  if (anyDate && !retainUntilFrom(f)) e.retention = 'Keep until must be a real date, for example 27 3 2027';
  return e;
}

/** `nhs:943 476 5919` and `local:CASE-1`, one a line, as the CLI's --subject takes them. */
export function parseSubjects(text: string): { scheme: 'nhs-number' | 'local-ref'; value: string }[] {
  return text
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '')
    .map((line) => {
      const m = /^(nhs|local):(.+)$/i.exec(line);
      if (!m || m[2]!.trim() === '')
        throw new Error('Write each subject as nhs: and an NHS number, or local: and a case reference');
      return { scheme: m[1]!.toLowerCase() === 'nhs' ? 'nhs-number' : 'local-ref', value: m[2]!.trim() };
    });
}

/** YYYY-MM-DD from the three date fields, or null when they do not make a real date. */
export function retainUntilFrom(
  f: Pick<ShareForm, 'retainDay' | 'retainMonth' | 'retainYear'>,
): string | null {
  const [d, m, y] = [Number(f.retainDay), Number(f.retainMonth), Number(f.retainYear)];
  if (!Number.isInteger(d) || !Number.isInteger(m) || !Number.isInteger(y) || y < 2000) return null;
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCDate() !== d || date.getUTCMonth() !== m - 1) return null;
  return date.toISOString().slice(0, 10);
}

/** What an agreement in force lets this organisation share: the choices the page offers. */
export interface ShareOffer {
  recipients: { id: string; name: string }[];
  /** Each purpose, with the parent agreement's purpose it narrows (tier 2). */
  purposes: { text: string; narrows?: string }[];
  dataCategories: string[];
}

/**
 * The agreement's parties but the sender and any whose withdrawal has taken effect (the share policy
 * refuses them, docs/architecture.md §9.2 and §28), its purposes and its data categories. The api checks
 * all of it again and has the last word.
 */
export function offerOf(detail: AgreementDetail, ownOrg: string | null, now: Date): ShareOffer | null {
  const terms = detail.terms;
  if (!terms) return null;
  const gone = new Set(
    (detail.withdrawals ?? [])
      .filter((w) => new Date(w.effectiveAt).getTime() <= now.getTime())
      .map((w) => w.orgId),
  );
  return {
    recipients: detail.parties
      .filter((p) => p.id !== ownOrg && !gone.has(p.id))
      .map((p) => ({ id: p.id, name: p.name ?? p.id })),
    purposes: terms.purposes.map((text) => {
      const narrows = terms.purposeNarrows?.[text];
      return narrows ? { text, narrows } : { text };
    }),
    dataCategories: terms.dataCategories,
  };
}

/** The choices an agreement governs. */
export type AgreementChoices = Pick<ShareForm, 'recipients' | 'teams' | 'purpose' | 'dataCategories'>;

/**
 * Keeps the choices the newly chosen agreement also offers and drops the rest, saying in words what was
 * dropped, so the user is told before pressing Share rather than by the server's refusal after it.
 */
export function keepOffered(
  form: AgreementChoices,
  offer: ShareOffer,
  nameOf: (org: string) => string,
): { choices: AgreementChoices; dropped: string[] } {
  const recipients = form.recipients.filter((r) => offer.recipients.some((o) => o.id === r));
  const purposeKept = form.purpose === '' || offer.purposes.some((p) => p.text === form.purpose);
  const dataCategories = form.dataCategories.filter((c) => offer.dataCategories.includes(c));
  const dropped: string[] = [];
  const lost = form.recipients.filter((r) => !recipients.includes(r));
  if (lost.length > 0) dropped.push(`Recipients: ${lost.map(nameOf).join(', ')}`);
  if (!purposeKept) dropped.push(`Purpose: ${form.purpose}`);
  const lostCategories = form.dataCategories.filter((c) => !dataCategories.includes(c));
  if (lostCategories.length > 0)
    dropped.push(`Data categories: ${lostCategories.map(dataCategoryLabel).join(', ')}`);
  return {
    choices: {
      recipients,
      teams: Object.fromEntries(Object.entries(form.teams).filter(([org]) => recipients.includes(org))),
      purpose: purposeKept ? form.purpose : '',
      dataCategories,
    },
    dropped,
  };
}

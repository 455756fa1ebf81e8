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

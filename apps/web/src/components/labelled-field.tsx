import type { ReactNode } from 'react';
import { FieldErrorMessage } from './error-summary';

/**
 * The GOV.UK form group around one labelled control, shared by the practitioner pages and the IG kit: the
 * label is the accessible name, and the hint and the error are ids the control's aria-describedby names.
 */

export const describedBy = (
  id: string,
  hint: ReactNode | undefined,
  error: string | undefined,
): string | undefined =>
  [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ') || undefined;

export function Hint({ id, hint }: { id: string; hint: ReactNode | undefined }) {
  return hint ? (
    <div id={`${id}-hint`} className="govuk-hint">
      {hint}
    </div>
  ) : null;
}

export const formGroupClass = (error: string | undefined) =>
  `govuk-form-group${error ? ' govuk-form-group--error' : ''}`;

/** The form group, label, hint and error every single-control field shares; the control comes as children. */
export function LabelledField(p: {
  id: string;
  label: ReactNode;
  hint?: ReactNode;
  error?: string | undefined;
  /** The practitioner pages' labels are body size; the IG forms' are small and bold (govuk-label--s). */
  labelClassName?: string;
  children: ReactNode;
}) {
  return (
    <div className={formGroupClass(p.error)}>
      <label className={p.labelClassName ?? 'govuk-label govuk-label--s'} htmlFor={p.id}>
        {p.label}
      </label>
      <Hint id={p.id} hint={p.hint} />
      <FieldErrorMessage id={p.id} text={p.error} />
      {p.children}
    </div>
  );
}

import type { ReactNode } from 'react';
import { ErrorSummary, FieldErrorMessage } from '../../../components/error-summary';
import {
  describedBy,
  formGroupClass as group,
  Hint,
  LabelledField,
} from '../../../components/labelled-field';
import type { FieldErrors } from './refusals';

/**
 * GOV.UK form patterns (text input, textarea, radios, checkboxes) as the IG pages use them: the label is
 * the accessible name, the hint and the error are tied to the input by aria-describedby, and a field in
 * error gets the GOV.UK error class so it is marked by more than colour.
 */

export interface TextFieldProps {
  id: string;
  label: ReactNode;
  value: string;
  onChange(value: string): void;
  hint?: ReactNode;
  error?: string | undefined;
  type?: 'text' | 'date' | 'datetime-local' | 'number' | 'url' | 'email';
  width?:
    'govuk-input--width-5' | 'govuk-input--width-10' | 'govuk-input--width-20' | 'govuk-input--width-30';
  autoComplete?: string;
  spellCheck?: boolean;
}

export function TextField(p: TextFieldProps) {
  return (
    <LabelledField id={p.id} label={p.label} hint={p.hint} error={p.error}>
      <input
        id={p.id}
        name={p.id}
        className={`govuk-input${p.width ? ` ${p.width}` : ''}${p.error ? ' govuk-input--error' : ''}`}
        type={p.type ?? 'text'}
        value={p.value}
        onChange={(e) => p.onChange(e.target.value)}
        aria-describedby={describedBy(p.id, p.hint, p.error)}
        autoComplete={p.autoComplete ?? 'off'}
        spellCheck={p.spellCheck}
      />
    </LabelledField>
  );
}

export function TextArea(p: Omit<TextFieldProps, 'type' | 'width'> & { rows?: number }) {
  return (
    <LabelledField id={p.id} label={p.label} hint={p.hint} error={p.error}>
      <textarea
        id={p.id}
        name={p.id}
        className={`govuk-textarea${p.error ? ' govuk-textarea--error' : ''}`}
        rows={p.rows ?? 5}
        value={p.value}
        onChange={(e) => p.onChange(e.target.value)}
        aria-describedby={describedBy(p.id, p.hint, p.error)}
      />
    </LabelledField>
  );
}

export interface Choice {
  value: string;
  label: ReactNode;
  hint?: ReactNode;
}

interface ChoiceGroupProps {
  id: string;
  legend: ReactNode;
  choices: readonly Choice[];
  hint?: ReactNode;
  error?: string | undefined;
  inline?: boolean;
  small?: boolean;
}

/** The first input's id is the group's id, so the error summary's link lands on it (GOV.UK convention). */
const choiceId = (id: string, i: number) => (i === 0 ? id : `${id}-${i + 1}`);

/** Radios and checkboxes differ only in the input's type and in what choosing one does to the value. */
function ChoiceGroup(
  p: ChoiceGroupProps & {
    kind: 'radios' | 'checkboxes';
    isChecked(value: string): boolean;
    onToggle(value: string, checked: boolean): void;
  },
) {
  const mod = [p.inline ? `govuk-${p.kind}--inline` : '', p.small ? `govuk-${p.kind}--small` : '']
    .filter(Boolean)
    .join(' ');
  return (
    <div className={group(p.error)}>
      <fieldset className="govuk-fieldset" aria-describedby={describedBy(p.id, p.hint, p.error)}>
        <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">{p.legend}</legend>
        <Hint id={p.id} hint={p.hint} />
        <FieldErrorMessage id={p.id} text={p.error} />
        <div className={`govuk-${p.kind}${mod ? ` ${mod}` : ''}`} data-module={`govuk-${p.kind}`}>
          {p.choices.map((c, i) => (
            <div key={c.value} className={`govuk-${p.kind}__item`}>
              <input
                className={`govuk-${p.kind}__input`}
                id={choiceId(p.id, i)}
                name={p.id}
                type={p.kind === 'radios' ? 'radio' : 'checkbox'}
                value={c.value}
                checked={p.isChecked(c.value)}
                onChange={(e) => p.onToggle(c.value, e.target.checked)}
                aria-describedby={c.hint ? `${choiceId(p.id, i)}-item-hint` : undefined}
              />
              <label className={`govuk-label govuk-${p.kind}__label`} htmlFor={choiceId(p.id, i)}>
                {c.label}
              </label>
              {c.hint ? (
                <div id={`${choiceId(p.id, i)}-item-hint`} className={`govuk-hint govuk-${p.kind}__hint`}>
                  {c.hint}
                </div>
              ) : null}
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

export function Radios(p: ChoiceGroupProps & { value: string; onChange(value: string): void }) {
  return (
    <ChoiceGroup {...p} kind="radios" isChecked={(v) => p.value === v} onToggle={(v) => p.onChange(v)} />
  );
}

export function Checkboxes(
  p: ChoiceGroupProps & { values: readonly string[]; onChange(values: string[]): void },
) {
  return (
    <ChoiceGroup
      {...p}
      kind="checkboxes"
      isChecked={(v) => p.values.includes(v)}
      onToggle={(v, checked) => p.onChange(checked ? [...p.values, v] : p.values.filter((x) => x !== v))}
    />
  );
}

/** The summary at the top of a form, each error a link to its field, in the order the form shows them. */
export function FormErrorSummary({ errors, order }: { errors: FieldErrors; order: readonly string[] }) {
  const ids = [
    ...order.filter((id) => errors[id]),
    ...Object.keys(errors).filter((id) => !order.includes(id)),
  ];
  return <ErrorSummary errors={ids.map((id) => ({ href: `#${id}`, text: errors[id]! }))} />;
}

/** A form that never reloads the page: the browser's own validation stays off so the GOV.UK errors show. */
export function Form({ onSubmit, children }: { onSubmit(): void; children: ReactNode }) {
  return (
    <form
      noValidate
      onSubmit={(e) => {
        e.preventDefault();
        onSubmit();
      }}
    >
      {children}
    </form>
  );
}

export function SubmitButton({
  children,
  busy,
  warning,
}: {
  children: ReactNode;
  busy: boolean;
  warning?: boolean;
}) {
  return (
    <button
      type="submit"
      className={`govuk-button${warning ? ' govuk-button--warning' : ''}`}
      data-module="govuk-button"
      disabled={busy}
      aria-disabled={busy}
    >
      {children}
    </button>
  );
}

export function Select(
  p: Omit<TextFieldProps, 'type' | 'width' | 'autoComplete' | 'spellCheck'> & { options: readonly Choice[] },
) {
  return (
    <LabelledField id={p.id} label={p.label} hint={p.hint} error={p.error}>
      <select
        id={p.id}
        name={p.id}
        className={`govuk-select${p.error ? ' govuk-select--error' : ''}`}
        value={p.value}
        onChange={(e) => p.onChange(e.target.value)}
        aria-describedby={describedBy(p.id, p.hint, p.error)}
      >
        {p.options.map((o) => (
          <option key={o.value} value={o.value}>
            {o.label}
          </option>
        ))}
      </select>
    </LabelledField>
  );
}

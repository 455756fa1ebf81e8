import type { ReactNode } from 'react';
import { FieldErrorMessage } from './error-summary';
import { describedBy, formGroupClass, Hint } from './labelled-field';

export interface Choice {
  value: string;
  label: string;
  hint?: string;
}

interface GroupProps {
  /** The id stem: the first input is `${id}-0`, which the error summary links to. */
  id: string;
  legend: string;
  hint?: ReactNode;
  error: string | undefined;
  choices: readonly Choice[];
  small?: boolean;
}

/**
 * GOV.UK checkboxes and radios in a fieldset whose legend names the group. The fieldset is also
 * aria-labelledby its legend, so "Recipients" finds the group by label as well as by role. The two differ
 * only in the input's type and in what choosing one does to the value.
 */
function Group({
  id,
  legend,
  hint,
  error,
  choices,
  kind,
  isChecked,
  onToggle,
}: GroupProps & {
  kind: 'checkboxes' | 'radios';
  isChecked(value: string): boolean;
  onToggle(value: string, checked: boolean): void;
}) {
  return (
    <div className={formGroupClass(error)}>
      <fieldset
        className="govuk-fieldset"
        aria-labelledby={`${id}-legend`}
        aria-describedby={describedBy(id, hint, error)}
      >
        <legend id={`${id}-legend`} className="govuk-fieldset__legend govuk-fieldset__legend--s">
          {legend}
        </legend>
        <Hint id={id} hint={hint} />
        <FieldErrorMessage id={id} text={error} />
        <div className={`govuk-${kind} govuk-${kind}--small`} data-module={`govuk-${kind}`}>
          {choices.map((c, i) => (
            <div className={`govuk-${kind}__item`} key={c.value}>
              <input
                className={`govuk-${kind}__input`}
                id={`${id}-${i}`}
                name={id}
                type={kind === 'radios' ? 'radio' : 'checkbox'}
                value={c.value}
                checked={isChecked(c.value)}
                aria-describedby={c.hint ? `${id}-${i}-hint` : undefined}
                onChange={(e) => onToggle(c.value, e.target.checked)}
              />
              <label className={`govuk-label govuk-${kind}__label`} htmlFor={`${id}-${i}`}>
                {c.label}
              </label>
              {c.hint && (
                <div id={`${id}-${i}-hint`} className={`govuk-hint govuk-${kind}__hint`}>
                  {c.hint}
                </div>
              )}
            </div>
          ))}
        </div>
      </fieldset>
    </div>
  );
}

export function CheckboxGroup(
  props: GroupProps & { values: readonly string[]; onChange(values: string[]): void },
) {
  const { values, onChange } = props;
  return (
    <Group
      {...props}
      kind="checkboxes"
      isChecked={(v) => values.includes(v)}
      onToggle={(v, checked) => onChange(checked ? [...values, v] : values.filter((x) => x !== v))}
    />
  );
}

export function RadioGroup(props: GroupProps & { value: string; onChange(value: string): void }) {
  const { value, onChange } = props;
  return <Group {...props} kind="radios" isChecked={(v) => value === v} onToggle={(v) => onChange(v)} />;
}

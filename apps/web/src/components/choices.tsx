import type { ReactNode } from 'react';
import { FieldErrorMessage } from './error-summary';

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
 * aria-labelledby its legend, so "Recipients" finds the group by label as well as by role.
 */
function Group({
  id,
  legend,
  hint,
  error,
  kind,
  children,
}: Omit<GroupProps, 'choices'> & { kind: 'checkboxes' | 'radios'; children: ReactNode }) {
  const describedBy = [hint ? `${id}-hint` : '', error ? `${id}-error` : ''].filter(Boolean).join(' ');
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <fieldset
        className="govuk-fieldset"
        aria-labelledby={`${id}-legend`}
        aria-describedby={describedBy || undefined}
      >
        <legend id={`${id}-legend`} className="govuk-fieldset__legend govuk-fieldset__legend--s">
          {legend}
        </legend>
        {hint && (
          <div id={`${id}-hint`} className="govuk-hint">
            {hint}
          </div>
        )}
        <FieldErrorMessage id={id} text={error} />
        <div className={`govuk-${kind} govuk-${kind}--small`} data-module={`govuk-${kind}`}>
          {children}
        </div>
      </fieldset>
    </div>
  );
}

export function CheckboxGroup(
  props: GroupProps & { values: readonly string[]; onChange(values: string[]): void },
) {
  const { id, choices, values, onChange } = props;
  return (
    <Group {...props} kind="checkboxes">
      {choices.map((c, i) => (
        <div className="govuk-checkboxes__item" key={c.value}>
          <input
            className="govuk-checkboxes__input"
            id={`${id}-${i}`}
            name={id}
            type="checkbox"
            value={c.value}
            checked={values.includes(c.value)}
            aria-describedby={c.hint ? `${id}-${i}-hint` : undefined}
            onChange={(e) =>
              onChange(e.target.checked ? [...values, c.value] : values.filter((v) => v !== c.value))
            }
          />
          <label className="govuk-label govuk-checkboxes__label" htmlFor={`${id}-${i}`}>
            {c.label}
          </label>
          {c.hint && (
            <div id={`${id}-${i}-hint`} className="govuk-hint govuk-checkboxes__hint">
              {c.hint}
            </div>
          )}
        </div>
      ))}
    </Group>
  );
}

export function RadioGroup(props: GroupProps & { value: string; onChange(value: string): void }) {
  const { id, choices, value, onChange } = props;
  return (
    <Group {...props} kind="radios">
      {choices.map((c, i) => (
        <div className="govuk-radios__item" key={c.value}>
          <input
            className="govuk-radios__input"
            id={`${id}-${i}`}
            name={id}
            type="radio"
            value={c.value}
            checked={value === c.value}
            onChange={() => onChange(c.value)}
          />
          <label className="govuk-label govuk-radios__label" htmlFor={`${id}-${i}`}>
            {c.label}
          </label>
        </div>
      ))}
    </Group>
  );
}

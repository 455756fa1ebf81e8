import { useEffect, useRef } from 'react';

export interface SummaryError {
  /** The id of the field the error is about, so the summary's link moves focus to it. */
  href: string;
  text: string;
}

/**
 * The GOV.UK error summary: at the top of the page, focused when it appears so a screen reader announces it,
 * each error a link to its field.
 */
export function ErrorSummary({ errors }: { errors: SummaryError[] }) {
  const ref = useRef<HTMLDivElement>(null);
  const key = errors.map((e) => e.href + e.text).join('|');
  useEffect(() => {
    if (errors.length > 0) ref.current?.focus();
  }, [key]);
  if (errors.length === 0) return null;
  return (
    <div className="govuk-error-summary" data-module="govuk-error-summary" ref={ref} tabIndex={-1}>
      <div role="alert">
        <h2 className="govuk-error-summary__title">There is a problem</h2>
        <div className="govuk-error-summary__body">
          <ul className="govuk-list govuk-error-summary__list">
            {errors.map((e) => (
              <li key={e.href + e.text}>
                <a
                  href={e.href}
                  onClick={(ev) => {
                    ev.preventDefault();
                    document.getElementById(e.href.slice(1))?.focus();
                  }}
                >
                  {e.text}
                </a>
              </li>
            ))}
          </ul>
        </div>
      </div>
    </div>
  );
}

/** The inline error above a field, with the visually hidden "Error:" prefix GOV.UK uses. */
export function FieldErrorMessage({ id, text }: { id: string; text: string | undefined }) {
  if (!text) return null;
  return (
    <p id={`${id}-error`} className="govuk-error-message">
      <span className="govuk-visually-hidden">Error:</span> {text}
    </p>
  );
}

import type { ApiError } from '../api';

/** A failed load, in words: the api's own detail (problem types carry the rule), never a stack trace. */
export function ProblemPanel({ error }: { error: ApiError }) {
  return (
    <div className="govuk-error-summary" role="alert">
      <h2 className="govuk-error-summary__title">{error.title}</h2>
      {error.detail && error.detail !== error.title && (
        <div className="govuk-error-summary__body">
          <p className="govuk-body">{error.detail}</p>
        </div>
      )}
    </div>
  );
}

export function Loading() {
  return (
    <p className="govuk-body" aria-live="polite">
      Loading…
    </p>
  );
}

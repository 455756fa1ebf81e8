import { useState, type FormEvent } from 'react';
import { api, ApiError } from '../api';
import { LabelledField } from '../components/labelled-field';

/**
 * Revoke (the sender, docs/architecture.md §25): every later open is refused, the payload is destroyed and
 * the recipients are told. Asks for the reason first, on the page, so a stray click does nothing.
 */
export function RevokeSection({ documentId, onRevoked }: { documentId: string; onRevoked(): void }) {
  const [asking, setAsking] = useState(false);
  const [reason, setReason] = useState('');
  const [error, setError] = useState<string>();
  const [busy, setBusy] = useState(false);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (reason.trim() === '') return setError('Enter why you are revoking this document');
    setBusy(true);
    try {
      await api('POST', `/documents/${documentId}/revocation`, { body: { reason: reason.trim() } });
      setAsking(false);
      onRevoked();
    } catch (err) {
      setError(err instanceof ApiError ? err.detail || err.title : 'Could not reach Accord');
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <h2 className="govuk-heading-m">Revoke</h2>
      {!asking ? (
        <>
          <p className="govuk-body">
            If you shared this by mistake, revoke it: nobody can open it after that and the recipients are
            told.
          </p>
          <button
            type="button"
            className="govuk-button govuk-button--warning"
            onClick={() => setAsking(true)}
          >
            Revoke
          </button>
        </>
      ) : (
        <form onSubmit={(e) => void submit(e)} noValidate>
          <LabelledField
            id="revoke-reason"
            label="Why are you revoking it?"
            error={error}
            labelClassName="govuk-label"
          >
            <textarea
              className={`govuk-textarea${error ? ' govuk-textarea--error' : ''}`}
              id="revoke-reason"
              rows={3}
              value={reason}
              aria-describedby={error ? 'revoke-reason-error' : undefined}
              onChange={(e) => setReason(e.target.value)}
            />
          </LabelledField>
          <div className="govuk-button-group">
            <button type="submit" className="govuk-button govuk-button--warning" disabled={busy}>
              Revoke document
            </button>
            <button
              type="button"
              className="govuk-button govuk-button--secondary"
              onClick={() => setAsking(false)}
            >
              Keep it
            </button>
          </div>
        </form>
      )}
    </>
  );
}

import { useState } from 'react';
import { api, ApiError } from '../api';
import { usePageTitle } from '../components/page-title';
import type { Me } from '../types';

/** The platform's access agreement, which a user accepts once before any document (the api enforces it). */
export function AccessAgreementPage({ me, onAccepted }: { me: Me; onAccepted(): void }) {
  usePageTitle('Access agreement');
  const [error, setError] = useState<string>();
  const accept = async () => {
    try {
      await api('POST', '/me/access-agreement', { body: { version: me.accessAgreement.currentVersion } });
      onAccepted();
    } catch (err) {
      setError(err instanceof ApiError ? err.detail || err.title : 'Could not reach Accord');
    }
  };
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <h1 className="govuk-heading-l">{me.accessAgreement.title}</h1>
        <p className="govuk-body">Before you use Accord, read and accept these terms.</p>
        <ul className="govuk-list govuk-list--bullet">
          {me.accessAgreement.terms.map((t) => (
            <li key={t}>{t}</li>
          ))}
        </ul>
        {error && (
          <p className="govuk-error-message" role="alert">
            <span className="govuk-visually-hidden">Error:</span> {error}
          </p>
        )}
        <button type="button" className="govuk-button" onClick={() => void accept()}>
          Accept and continue
        </button>
      </div>
    </div>
  );
}

import { Link, useLocation, useParams } from 'react-router-dom';
import { usePageTitle } from '../components/page-title';
import { UserText } from '../components/user-text';

/** The confirmation page, with the document's reference to quote. */
export function ShareSentPage() {
  const { id = '' } = useParams();
  const title = (useLocation().state as { title?: string } | null)?.title;
  usePageTitle('Document shared');
  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <div className="govuk-panel govuk-panel--confirmation">
          <h1 className="govuk-panel__title">Document shared</h1>
          <div className="govuk-panel__body">
            Your reference
            <br />
            <strong id="document-reference">{id}</strong>
          </div>
        </div>
        {title && (
          <p className="govuk-body">
            <UserText text={title} /> was encrypted in your browser and sent.
          </p>
        )}
        <p className="govuk-body">The recipients are told in their inbox. You can revoke it from its page.</p>
        <p className="govuk-body">
          <Link className="govuk-link" to={`/documents/${id}`}>
            View the document
          </Link>
        </p>
        <p className="govuk-body">
          <Link className="govuk-link" to="/share">
            Share another document
          </Link>
        </p>
      </div>
    </div>
  );
}

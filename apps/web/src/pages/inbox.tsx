import { Link } from 'react-router-dom';
import { formatDateTime, NATURE } from '../components/format';
import { usePageTitle } from '../components/page-title';
import { Loading, ProblemPanel } from '../components/problem';
import type { InboxItem, InboxList } from '../types';
import { useApi } from '../use-api';

const WHAT: Record<InboxItem['kind'], string> = {
  'document-shared': 'Shared with you',
  'document-destroyed': 'Destroyed at the end of its retention',
  'document-erased': 'Erased',
  'document-superseded': 'Replaced by a corrected version',
  'document-revoked': 'Revoked by the sender',
};

/** What was shared with the user, unread first (the api's order), each a link to its document page. */
export function InboxPage() {
  usePageTitle('Inbox');
  const { data, error } = useApi<InboxList>('/inbox?limit=100');
  return (
    <>
      <h1 className="govuk-heading-l">Inbox</h1>
      {error && <ProblemPanel error={error} />}
      {!data && !error && <Loading />}
      {data && (
        <>
          <p className="govuk-body">
            {data.unread === 0
              ? 'You have no unread documents.'
              : `You have ${data.unread} unread ${data.unread === 1 ? 'document' : 'documents'}.`}
          </p>
          {data.items.length === 0 ? (
            <p className="govuk-body">Nothing has been shared with you yet.</p>
          ) : (
            <table className="govuk-table">
              <caption className="govuk-table__caption govuk-visually-hidden">
                Documents shared with you, unread first
              </caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">
                    Document
                  </th>
                  <th scope="col" className="govuk-table__header">
                    From
                  </th>
                  <th scope="col" className="govuk-table__header">
                    What happened
                  </th>
                  <th scope="col" className="govuk-table__header">
                    When
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Status
                  </th>
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {data.items.map((item) => (
                  <tr key={item.id} className="govuk-table__row">
                    <td className="govuk-table__cell">
                      <Link className="govuk-link" to={`/documents/${item.documentId}`}>
                        {item.title}
                      </Link>
                      <br />
                      <span className="govuk-body-s">{NATURE[item.nature] ?? item.nature}</span>
                    </td>
                    <td className="govuk-table__cell">{item.senderOrg}</td>
                    <td className="govuk-table__cell">{WHAT[item.kind] ?? item.kind}</td>
                    <td className="govuk-table__cell">{formatDateTime(item.occurredAt)}</td>
                    <td className="govuk-table__cell">
                      {item.read ? (
                        <strong className="govuk-tag govuk-tag--grey">Read</strong>
                      ) : (
                        <strong className="govuk-tag govuk-tag--blue">Unread</strong>
                      )}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )}
        </>
      )}
    </>
  );
}

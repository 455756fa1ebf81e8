import { Link } from 'react-router-dom';
import { formatDateTime, NATURE } from '../components/format';
import { usePageTitle } from '../components/page-title';
import { Loading, ProblemPanel } from '../components/problem';
import { Table } from '../components/table';
import type { InboxItem, InboxList } from '../types';
import { useApi } from '../use-api';
import { UserText } from '../components/user-text';

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
          <Table
            empty="Nothing has been shared with you yet."
            caption="Documents shared with you, unread first"
            captionClassName="govuk-table__caption govuk-visually-hidden"
            rows={data.items}
            rowKey={(item) => item.id}
            columns={[
              {
                header: 'Document',
                cell: (item) => (
                  <>
                    <Link className="govuk-link" to={`/documents/${item.documentId}`}>
                      <UserText text={item.title} />
                    </Link>
                    <br />
                    <span className="govuk-body-s">{NATURE[item.nature] ?? item.nature}</span>
                  </>
                ),
              },
              { header: 'From', cell: (item) => item.senderOrg },
              { header: 'What happened', cell: (item) => WHAT[item.kind] ?? item.kind },
              { header: 'When', cell: (item) => formatDateTime(item.occurredAt) },
              {
                header: 'Status',
                cell: (item) =>
                  item.read ? (
                    <strong className="govuk-tag govuk-tag--grey">Read</strong>
                  ) : (
                    <strong className="govuk-tag govuk-tag--blue">Unread</strong>
                  ),
              },
            ]}
          />
        </>
      )}
    </>
  );
}

import { Link } from 'react-router-dom';
import { usePageTitle } from '../../../components/page-title';
import { formatDate, Loaded, Tag, type TagColour } from '../kit/display';
import { useApi } from '../../../use-api';
import type { AgreementSummary, ItemList } from '../types';

const STATUS: Record<AgreementSummary['status'], [string, TagColour]> = {
  draft: ['Awaiting signatures', 'yellow'],
  active: ['In force', 'green'],
  suspended: ['Suspended', 'orange'],
  terminated: ['Terminated', 'grey'],
};

export function AgreementStatusTag({ status }: { status: AgreementSummary['status'] }) {
  const [text, colour] = STATUS[status];
  return <Tag colour={colour}>{text}</Tag>;
}

export function AgreementListPage() {
  usePageTitle('Agreements');
  const agreements = useApi<ItemList<AgreementSummary>>('/agreements');
  return (
    <>
      <h1 className="govuk-heading-l">Agreements</h1>
      <p className="govuk-body">The information sharing agreements your organisation is a party to.</p>
      <Link to="/agreements/new" className="govuk-button" role="button" draggable={false}>
        Draft an agreement
      </Link>
      <Loaded resource={agreements}>
        {({ items }) =>
          items.length === 0 ? (
            <p className="govuk-body">Your organisation is not a party to any agreement yet.</p>
          ) : (
            <table className="govuk-table">
              <caption className="govuk-table__caption govuk-table__caption--m">
                {items.length} {items.length === 1 ? 'agreement' : 'agreements'}
              </caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">
                    Title
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Lead
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Status
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Next review
                  </th>
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {items.map((a) => (
                  <tr key={a.id} className="govuk-table__row">
                    <td className="govuk-table__cell">
                      <Link className="govuk-link" to={`/agreements/${a.id}`}>
                        {a.title}
                      </Link>
                      <br />
                      <span className="govuk-body-s">
                        {a.category}, tier {a.tier}, version {a.version}
                      </span>
                    </td>
                    <td className="govuk-table__cell">{a.leadOrganisation.name ?? a.leadOrganisation.id}</td>
                    <td className="govuk-table__cell">
                      <AgreementStatusTag status={a.status} />
                      {a.pendingVersion && a.status !== 'draft' ? (
                        <>
                          {' '}
                          <Tag colour="yellow">Version {a.pendingVersion} awaiting signatures</Tag>
                        </>
                      ) : null}
                    </td>
                    <td className="govuk-table__cell">
                      {a.reviewOverdue ? <Tag colour="red">Overdue</Tag> : formatDate(a.nextReviewDue)}
                    </td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </Loaded>
    </>
  );
}

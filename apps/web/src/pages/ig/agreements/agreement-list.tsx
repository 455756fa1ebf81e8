import { Link } from 'react-router-dom';
import { usePageTitle } from '../../../components/page-title';
import { Table } from '../../../components/table';
import { formatDate, Loaded, Tag, type TagColour } from '../kit/display';
import { useApi } from '../../../use-api';
import type { AgreementSummary, ItemList } from '../types';
import { ButtonLink } from '../../../components/button-link';
import { UserText } from '../../../components/user-text';

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
      <ButtonLink to="/agreements/new">Draft an agreement</ButtonLink>
      <Loaded resource={agreements}>
        {({ items }) => (
          <Table
            empty="Your organisation is not a party to any agreement yet."
            caption={`${items.length} ${items.length === 1 ? 'agreement' : 'agreements'}`}
            rows={items}
            rowKey={(a) => a.id}
            columns={[
              {
                header: 'Title',
                cell: (a) => (
                  <>
                    <Link className="govuk-link" to={`/agreements/${a.id}`}>
                      <UserText text={a.title} />
                    </Link>
                    <br />
                    <span className="govuk-body-s">
                      {a.category}, tier {a.tier}, version {a.version}
                    </span>
                  </>
                ),
              },
              { header: 'Lead', cell: (a) => a.leadOrganisation.name ?? a.leadOrganisation.id },
              {
                header: 'Status',
                cell: (a) => (
                  <>
                    <AgreementStatusTag status={a.status} />
                    {a.pendingVersion && a.status !== 'draft' ? (
                      <>
                        {' '}
                        <Tag colour="yellow">Version {a.pendingVersion} awaiting signatures</Tag>
                      </>
                    ) : null}
                  </>
                ),
              },
              {
                header: 'Next review',
                cell: (a) =>
                  a.reviewOverdue ? <Tag colour="red">Overdue</Tag> : formatDate(a.nextReviewDue),
              },
            ]}
          />
        )}
      </Loaded>
    </>
  );
}

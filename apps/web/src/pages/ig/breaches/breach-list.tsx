import { Link } from 'react-router-dom';
import { usePageTitle } from '../../../components/page-title';
import { Table } from '../../../components/table';
import { formatDateTime, Loaded, Tag } from '../kit/display';
import { useApi } from '../../../use-api';
import type { BreachSummary, ItemList } from '../types';
import { IcoTag, timeLeft } from './ico-clock';
import { ButtonLink } from '../../../components/button-link';

export const SEVERITY = { low: 'Low', medium: 'Medium', high: 'High' } as const;

export function BreachListPage() {
  usePageTitle('Breach reports');
  const breaches = useApi<ItemList<BreachSummary>>('/breaches');
  return (
    <>
      <h1 className="govuk-heading-l">Breach reports</h1>
      <p className="govuk-body">
        Personal data breaches and near misses your organisation reported or was told about. A breach the ICO
        must be told about has to reach it within 72 hours of its discovery.
      </p>
      <ButtonLink to="/breaches/new">Report a breach</ButtonLink>
      <Loaded resource={breaches}>
        {({ items }) => (
          <Table
            empty="No breaches have been reported."
            caption={`${items.length} ${items.length === 1 ? 'report' : 'reports'}`}
            rows={items}
            rowKey={(b) => b.id}
            columns={[
              {
                header: 'Discovered',
                cell: (b) => (
                  <>
                    <Link className="govuk-link" to={`/breaches/${b.id}`}>
                      {formatDateTime(b.discoveredAt)}
                      <span className="govuk-visually-hidden"> breach report</span>
                    </Link>
                    {b.nearMiss ? (
                      <>
                        <br />
                        <span className="govuk-body-s">Near miss</span>
                      </>
                    ) : null}
                  </>
                ),
              },
              { header: 'Severity', cell: (b) => SEVERITY[b.severity] },
              { header: 'ICO', cell: (b) => <IcoTag status={b.icoStatus} /> },
              {
                header: 'Deadline',
                cell: (b) => (
                  <>
                    {formatDateTime(b.icoDeadline)}
                    {b.icoStatus === 'due' ||
                    b.icoStatus === 'awaiting-assessment' ||
                    b.icoStatus === 'overdue' ? (
                      <>
                        <br />
                        <span className="govuk-body-s">{timeLeft(b)}</span>
                      </>
                    ) : null}
                  </>
                ),
              },
              {
                header: 'Status',
                cell: (b) =>
                  b.status === 'closed' ? <Tag colour="grey">Closed</Tag> : <Tag colour="blue">Open</Tag>,
              },
            ]}
          />
        )}
      </Loaded>
    </>
  );
}

import { Link } from 'react-router-dom';
import { usePageTitle } from '../../../components/page-title';
import { formatDateTime, Loaded, Tag } from '../kit/display';
import { useApi } from '../../../use-api';
import type { BreachSummary, ItemList } from '../types';
import { IcoTag, timeLeft } from './ico-clock';

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
      <Link to="/breaches/new" className="govuk-button" role="button" draggable={false}>
        Report a breach
      </Link>
      <Loaded resource={breaches}>
        {({ items }) =>
          items.length === 0 ? (
            <p className="govuk-body">No breaches have been reported.</p>
          ) : (
            <table className="govuk-table">
              <caption className="govuk-table__caption govuk-table__caption--m">
                {items.length} {items.length === 1 ? 'report' : 'reports'}
              </caption>
              <thead className="govuk-table__head">
                <tr className="govuk-table__row">
                  <th scope="col" className="govuk-table__header">
                    Discovered
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Severity
                  </th>
                  <th scope="col" className="govuk-table__header">
                    ICO
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Deadline
                  </th>
                  <th scope="col" className="govuk-table__header">
                    Status
                  </th>
                </tr>
              </thead>
              <tbody className="govuk-table__body">
                {items.map((b) => (
                  <tr key={b.id} className="govuk-table__row">
                    <td className="govuk-table__cell">
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
                    </td>
                    <td className="govuk-table__cell">{SEVERITY[b.severity]}</td>
                    <td className="govuk-table__cell">
                      <IcoTag status={b.icoStatus} />
                    </td>
                    <td className="govuk-table__cell">
                      {formatDateTime(b.icoDeadline)}
                      {b.icoStatus === 'due' ||
                      b.icoStatus === 'awaiting-assessment' ||
                      b.icoStatus === 'overdue' ? (
                        <>
                          <br />
                          <span className="govuk-body-s">{timeLeft(b)}</span>
                        </>
                      ) : null}
                    </td>
                    <td className="govuk-table__cell">
                      {b.status === 'closed' ? (
                        <Tag colour="grey">Closed</Tag>
                      ) : (
                        <Tag colour="blue">Open</Tag>
                      )}
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

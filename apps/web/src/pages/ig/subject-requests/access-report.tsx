import { useParams } from 'react-router-dom';
import { usePageTitle } from '../../../components/page-title';
import { BackLink, formatDate, formatDateTime, List, Loaded, SummaryList } from '../kit/display';
import { useApi } from '../../../use-api';
import { dataCategoryLabel } from '../../../components/vocabulary';
import type { SubjectAccessReport } from '../types';

const HELD = { sent: 'Sent by your organisation', received: 'Received from a partner' } as const;

/** The access report (UK GDPR Art 15) as the api gives it; the api's own printable page is one link away. */
export function AccessReportPage() {
  const { id = '' } = useParams();
  const report = useApi<SubjectAccessReport>(`/subject-requests/${encodeURIComponent(id)}/report`);
  usePageTitle('Access report');
  return (
    <>
      <BackLink to={`/subject-requests/${id}`}>Back to the request</BackLink>
      <Loaded resource={report} page>
        {(r) => (
          <>
            <span className="govuk-caption-l">Subject request {r.requestId}</span>
            <h1 className="govuk-heading-l">Access report</h1>
            <p className="govuk-body">
              Every document your organisation holds about the person, how it was obtained, why, who it was
              shared with and who opened it, as at {formatDateTime(r.asOf)}.
            </p>
            <p className="govuk-body">
              <a className="govuk-link" href={`/subject-requests/${encodeURIComponent(r.requestId)}/report`}>
                Printable version of the report
              </a>
            </p>
            <h2 className="govuk-heading-m">
              {r.documents.length} {r.documents.length === 1 ? 'document' : 'documents'}
            </h2>
            {r.documents.map((d, i) => (
              <section key={d.documentId} className="govuk-summary-card" aria-labelledby={`document-${i}`}>
                <div className="govuk-summary-card__title-wrapper">
                  <h3 className="govuk-summary-card__title" id={`document-${i}`}>
                    {d.title}
                  </h3>
                </div>
                <div className="govuk-summary-card__content">
                  <SummaryList
                    rows={[
                      ['How it is held', HELD[d.held]],
                      ['Obtained from', d.obtainedFrom],
                      ['Shared', `${formatDateTime(d.sharedAt)}${d.sharedBy ? ` by ${d.sharedBy}` : ''}`],
                      ['Fact or opinion', d.nature],
                      ['Purpose', d.purpose],
                      [
                        'Agreement',
                        `${d.agreement.title} (version ${d.agreement.version}): ${d.agreement.lawfulBases
                          .map((b) => b.label)
                          .join('; ')}`,
                      ],
                      [
                        'Kinds of information',
                        <List key="dc" items={d.dataCategories.map(dataCategoryLabel)} />,
                      ],
                      ['Shared with', <List key="sw" items={d.sharedWith} />],
                      ['Kept until', formatDate(d.retainUntil)],
                      ['State', d.state],
                      [
                        'Opened',
                        <List
                          key="o"
                          items={d.openings.map(
                            (o) => `${formatDateTime(o.at)} by ${o.orgId}${o.role ? ` (${o.role})` : ''}`,
                          )}
                          empty="Never opened"
                        />,
                      ],
                    ]}
                  />
                </div>
              </section>
            ))}
          </>
        )}
      </Loaded>
    </>
  );
}

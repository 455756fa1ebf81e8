import { Link, useParams } from 'react-router-dom';
import { usePageTitle } from '../../../components/page-title';
import { BackLink, Flash, formatDateTime, List, Loaded, SummaryList, Tag } from '../kit/display';
import { useApi } from '../../../use-api';
import type { SubjectRequest } from '../types';
import { KINDS } from './start-subject-request';

const OUTCOMES: Record<string, string> = {
  'in-progress': 'In progress',
  provided: 'Report ready',
  restricted: 'Restricted',
  lifted: 'Restriction lifted',
  erased: 'Erased',
  'partially-erased': 'Partly erased',
  refused: 'Refused',
  'nothing-to-erase': 'Nothing to erase',
  rectified: 'Rectified',
};

export function SubjectRequestPage() {
  const { id = '' } = useParams();
  const request = useApi<SubjectRequest>(`/subject-requests/${encodeURIComponent(id)}`);
  usePageTitle('Subject request');
  return (
    <>
      <BackLink to="/subject-requests">Back to subject requests</BackLink>
      <Flash />
      <Loaded resource={request} page>
        {(r) => (
          <>
            <span className="govuk-caption-l">Subject request</span>
            <h1 className="govuk-heading-l">{KINDS[r.kind][0]} request</h1>
            <p className="govuk-body">
              {r.status === 'completed' ? (
                <Tag colour="green">{OUTCOMES[r.outcome] ?? r.outcome}</Tag>
              ) : (
                <Tag colour="yellow">In progress</Tag>
              )}
            </p>
            {r.status === 'received' ? (
              <>
                <p className="govuk-body">
                  The service is working through the documents. Check again in a moment.
                </p>
                <button
                  type="button"
                  className="govuk-button govuk-button--secondary"
                  disabled={request.loading}
                  onClick={request.reload}
                >
                  Check again
                </button>
              </>
            ) : null}
            {r.kind === 'access' && r.status === 'completed' ? (
              <p className="govuk-body">
                <Link className="govuk-link" to={`/subject-requests/${r.id}/report`}>
                  View the access report
                </Link>
              </p>
            ) : null}
            <SummaryList
              rows={[
                ['Reference', <code key="id">{r.id}</code>],
                ['Details', r.reason],
                ['Received', formatDateTime(r.receivedAt)],
                ['Completed', r.completedAt ? formatDateTime(r.completedAt) : 'Not yet'],
                ['Documents', <List key="d" items={r.documentIds} empty="None held" />],
                ...(r.erasure
                  ? [
                      ['Erased', <List key="e" items={r.erasure.erased} />] as const,
                      [
                        'Kept',
                        <List
                          key="k"
                          items={r.erasure.kept.map((k) => `${k.documentId}: kept under ${k.exemption}`)}
                        />,
                      ] as const,
                      ...(r.erasure.refusal ? [['Refusal', r.erasure.refusal] as const] : []),
                    ]
                  : []),
                ...(r.redirectTo.length > 0
                  ? [['Also ask', <List key="r" items={r.redirectTo} />] as const]
                  : []),
                ...(r.rectification
                  ? [
                      [
                        'Rectification',
                        `${r.rectification.supersededId} replaced by ${r.rectification.correctedId}`,
                      ] as const,
                    ]
                  : []),
              ]}
            />
          </>
        )}
      </Loaded>
    </>
  );
}

import { Link, useParams } from 'react-router-dom';
import { usePageTitle } from '../../../components/page-title';
import { BackLink, Flash, formatDateTime, List, Loaded, SummaryList, Tag } from '../kit/display';
import { useApi } from '../../../use-api';
import { dataCategoryLabel } from '../../../components/vocabulary';
import type { BreachDetail } from '../types';
import { SEVERITY } from './breach-list';
import { IcoClock } from './ico-clock';

interface TimelineEntry {
  at: string | null;
  title: string;
  detail?: string;
}

/**
 * What happened to the breach, in order. The api gives each step's time except the assessment's, which
 * necessarily falls between the report and the ICO notification, so it is placed there.
 */
export function timelineOf(b: BreachDetail): TimelineEntry[] {
  const dated: TimelineEntry[] = [
    { at: b.discoveredAt, title: 'Discovered' },
    {
      at: b.reportedAt,
      title: 'Reported',
      detail: b.notifiedOrgs.length > 0 ? `IG leads told: ${b.notifiedOrgs.join(', ')}` : undefined,
    },
    ...b.containment.map((c) => ({
      at: c.at,
      title: c.action === 'user-suspended' ? 'User suspended' : 'Key revoked',
      detail: `${c.target}: ${c.reason}`,
    })),
    ...(b.icoNotifiedAt
      ? [{ at: b.icoNotifiedAt, title: 'ICO told', detail: `Reference ${b.icoReference ?? ''}` }]
      : []),
    ...(b.subjectsNotifiedAt ? [{ at: b.subjectsNotifiedAt, title: 'People affected told' }] : []),
    ...(b.closedAt ? [{ at: b.closedAt, title: 'Closed', detail: b.outcome ?? undefined }] : []),
  ].sort((x, y) => Date.parse(x.at!) - Date.parse(y.at!));
  if (b.icoReportable !== null) {
    const assessed: TimelineEntry = {
      at: null,
      title: b.icoReportable ? 'Assessed: the ICO must be told' : 'Assessed: the ICO need not be told',
      detail: b.rationale ?? undefined,
    };
    const after = dated.findIndex((e) => e.title === 'Reported');
    dated.splice(after + 1, 0, assessed);
  }
  return dated;
}

export function BreachPage() {
  const { id = '' } = useParams();
  const breach = useApi<BreachDetail>(`/breaches/${encodeURIComponent(id)}`);
  usePageTitle('Breach report');
  return (
    <>
      <BackLink to="/breaches">Back to breach reports</BackLink>
      <Flash />
      <Loaded resource={breach} page>
        {(b) => <BreachView b={b} />}
      </Loaded>
    </>
  );
}

function BreachView({ b }: { b: BreachDetail }) {
  const open = b.status !== 'closed';
  const actions = [
    open && b.icoReportable === null ? ['assess', 'Assess whether the ICO must be told'] : null,
    open && b.icoStatus === 'due' ? ['notify-ico', 'Record that the ICO was told'] : null,
    open && b.icoStatus === 'overdue' ? ['notify-ico', 'Record that the ICO was told'] : null,
    open && b.icoReportable !== null && !b.subjectsNotifiedAt
      ? ['notify-subjects', 'Record that the people affected were told']
      : null,
    open && b.icoReportable !== null ? ['close', 'Close the breach'] : null,
  ].filter((x): x is [string, string] => x !== null);
  return (
    <>
      <span className="govuk-caption-l">Breach report</span>
      <h1 className="govuk-heading-l">
        {b.nearMiss ? 'Near miss' : 'Breach'} discovered {formatDateTime(b.discoveredAt)}
      </h1>
      <p className="govuk-body">
        {b.status === 'closed' ? <Tag colour="grey">Closed</Tag> : <Tag colour="blue">Open</Tag>}
      </p>
      <IcoClock b={b} />
      {actions.length > 0 ? (
        <>
          <h2 className="govuk-heading-m">What to do next</h2>
          <ul className="govuk-list">
            {actions.map(([path, text]) => (
              <li key={path}>
                <Link className="govuk-link" to={`/breaches/${b.id}/${path}`}>
                  {text}
                </Link>
              </li>
            ))}
          </ul>
        </>
      ) : null}
      <h2 className="govuk-heading-m">Details</h2>
      <SummaryList
        rows={[
          ['Reference', <code key="id">{b.id}</code>],
          ['What happened', b.description],
          ['Severity', SEVERITY[b.severity]],
          ['Kind', b.nearMiss ? 'Near miss' : 'Breach'],
          [
            'Agreement',
            b.agreementId ? (
              <Link key="a" className="govuk-link" to={`/agreements/${b.agreementId}`}>
                {b.agreementId}
              </Link>
            ) : (
              'None'
            ),
          ],
          [
            'Kinds of information',
            <List key="dc" items={b.dataCategories.map(dataCategoryLabel)} empty="Not stated" />,
          ],
          ['People affected (about)', String(b.approxSubjects)],
          ['Documents', <List key="d" items={b.documentIds} empty="None named" />],
          ...(b.lessons ? [['Lessons learned', b.lessons] as const] : []),
        ]}
      />
      <h2 className="govuk-heading-m">Timeline</h2>
      <ol className="govuk-list" id="timeline">
        {timelineOf(b).map((e, i) => (
          <li key={i} className="govuk-!-margin-bottom-4">
            <h3 className="govuk-heading-s govuk-!-margin-bottom-1">{e.title}</h3>
            {e.at ? (
              <p className="govuk-body-s govuk-!-margin-bottom-1">
                <time dateTime={e.at}>{formatDateTime(e.at)}</time>
              </p>
            ) : null}
            {e.detail ? <p className="govuk-body govuk-!-margin-bottom-0">{e.detail}</p> : null}
          </li>
        ))}
      </ol>
    </>
  );
}

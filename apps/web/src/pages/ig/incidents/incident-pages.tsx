import { Link, useNavigate, useParams } from 'react-router-dom';
import { api } from '../../../api';
import { usePageTitle } from '../../../components/page-title';
import { Table } from '../../../components/table';
import {
  BackLink,
  Flash,
  formatDateTime,
  List,
  Loaded,
  SummaryList,
  Tag,
  type TagColour,
} from '../kit/display';
import { QuestionForm, type Question } from '../kit/question-form';
import { useApi } from '../../../use-api';
import type { AgreementSummary, Incident, ItemList } from '../types';

/** The detector's rules in words (libs/domain incident.events.ts INCIDENT_RULES). */
const RULES: Record<string, string> = {
  'denials-burst': 'Many refused opens in a short time',
  'non-uk-access': 'Access from outside the UK',
  'open-destroyed-or-restricted': 'Attempt to open a destroyed or restricted document',
  'ex-party-download': 'Download by an organisation no longer a party',
  'unusual-volume': 'Unusual number of opens',
  'destruction-unconfirmed': 'Destruction of a document could not be confirmed',
};

const STATUS: Record<Incident['status'], [string, TagColour]> = {
  open: ['Open', 'orange'],
  promoted: ['Reported as a breach', 'red'],
  dismissed: ['Dismissed', 'grey'],
};

const StatusTag = ({ status }: { status: Incident['status'] }) => (
  <Tag colour={STATUS[status][1]}>{STATUS[status][0]}</Tag>
);

export function IncidentListPage() {
  usePageTitle('Security incidents');
  const incidents = useApi<{ items: Incident[] }>('/incidents');
  return (
    <>
      <h1 className="govuk-heading-l">Security incidents</h1>
      <p className="govuk-body">
        Patterns the service noticed that may be a breach. Report each as a breach, or dismiss it with the
        reason it is harmless.
      </p>
      <Loaded resource={incidents}>
        {({ items }) => (
          <Table
            empty="No incidents have been detected."
            caption="Most recent first"
            rows={items}
            rowKey={(i) => i.id}
            columns={[
              {
                header: 'What was noticed',
                cell: (i) => (
                  <Link className="govuk-link" to={`/incidents/${i.id}`}>
                    {RULES[i.kind] ?? i.kind}
                  </Link>
                ),
              },
              { header: 'When', cell: (i) => formatDateTime(i.detectedAt) },
              { header: 'Severity', cell: (i) => i.severity },
              { header: 'Status', cell: (i) => <StatusTag status={i.status} /> },
            ]}
          />
        )}
      </Loaded>
    </>
  );
}

export function IncidentPage() {
  const { id = '' } = useParams();
  const incident = useApi<Incident>(`/incidents/${encodeURIComponent(id)}`);
  usePageTitle('Security incident');
  return (
    <>
      <BackLink to="/incidents">Back to incidents</BackLink>
      <Flash />
      <Loaded resource={incident} page>
        {(i) => (
          <>
            <span className="govuk-caption-l">Security incident</span>
            <h1 className="govuk-heading-l">{RULES[i.kind] ?? i.kind}</h1>
            <p className="govuk-body">
              <StatusTag status={i.status} />
            </p>
            {i.status === 'open' ? (
              <ul className="govuk-list">
                <li>
                  <Link className="govuk-link" to={`/incidents/${i.id}/promote`}>
                    Report it as a breach
                  </Link>
                </li>
                <li>
                  <Link className="govuk-link" to={`/incidents/${i.id}/dismiss`}>
                    Dismiss it
                  </Link>
                </li>
              </ul>
            ) : null}
            <SummaryList
              rows={[
                ['Summary', i.summary],
                ['Detected', formatDateTime(i.detectedAt)],
                ['Severity', i.severity],
                ['User', i.userId],
                ['Organisations involved', <List key="o" items={i.orgIds} />],
                ['Documents', <List key="d" items={i.documentIds} empty="None" />],
                ['Evidence (event references)', <List key="e" items={i.evidence} />],
                ...(i.breachId
                  ? [
                      [
                        'Breach report',
                        <Link key="b" className="govuk-link" to={`/breaches/${i.breachId}`}>
                          View the breach report
                        </Link>,
                      ] as const,
                    ]
                  : []),
                ...(i.dismissal ? [['Dismissed because', i.dismissal] as const] : []),
              ]}
            />
          </>
        )}
      </Loaded>
    </>
  );
}

export function PromoteIncidentPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const agreements = useApi<ItemList<AgreementSummary>>('/agreements');
  const questions: Question[] = [
    {
      id: 'nearMiss',
      label: 'Did personal data actually leave your organisation?',
      kind: 'radios',
      inline: true,
      choices: [
        { value: 'no', label: 'Yes, it is a breach' },
        { value: 'yes', label: 'No, it is a near miss' },
      ],
    },
    {
      id: 'severity',
      label: 'How serious is it?',
      hint: "Leave unchosen to keep the incident's own severity",
      kind: 'radios',
      choices: [
        { value: 'low', label: 'Low' },
        { value: 'medium', label: 'Medium' },
        { value: 'high', label: 'High' },
      ],
    },
    {
      id: 'agreementId',
      label: 'Agreement involved (optional)',
      hint: 'The IG leads of every party to it are told at once',
      kind: 'radios',
      choices: [
        { value: '', label: 'None' },
        ...(agreements.data?.items ?? []).map((a) => ({ value: a.id, label: a.title })),
      ],
    },
  ];
  return (
    <>
      <BackLink to={`/incidents/${id}`}>Back to the incident</BackLink>
      <Loaded resource={agreements}>
        {() => (
          <QuestionForm
            caption="Security incident"
            title="Report it as a breach"
            intro={
              <p className="govuk-body">This starts a breach report, with the ICO&apos;s 72-hour clock.</p>
            }
            questions={questions}
            button="Report as a breach"
            refusals={{
              codes: {
                'incident.already-promoted': 'nearMiss',
                'incident.dismissed': 'nearMiss',
                'breach.agreement-not-found': 'agreementId',
                'breach.not-a-party': 'agreementId',
              },
              fallback: 'nearMiss',
            }}
            send={async (v) => {
              const out = await api<Incident>('POST', `/incidents/${encodeURIComponent(id)}/promote`, {
                body: {
                  ...(v.nearMiss ? { nearMiss: v.nearMiss === 'yes' } : {}),
                  ...(v.severity ? { severity: v.severity } : {}),
                  ...(v.agreementId ? { agreementId: v.agreementId } : {}),
                },
              });
              navigate(out.breachId ? `/breaches/${out.breachId}` : `/incidents/${id}`, {
                state: { flash: 'Incident reported as a breach' },
              });
            }}
          />
        )}
      </Loaded>
    </>
  );
}

export function DismissIncidentPage() {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  return (
    <>
      <BackLink to={`/incidents/${id}`}>Back to the incident</BackLink>
      <QuestionForm
        caption="Security incident"
        title="Dismiss the incident"
        questions={[{ id: 'reason', label: 'Why is it harmless?', kind: 'textarea' }]}
        button="Dismiss incident"
        refusals={{
          codes: {
            'incident.reason-required': 'reason',
            'incident.already-promoted': 'reason',
            'incident.dismissed': 'reason',
          },
          fallback: 'reason',
        }}
        send={async (v) => {
          await api('POST', `/incidents/${encodeURIComponent(id)}/dismiss`, { body: { reason: v.reason } });
          navigate(`/incidents/${id}`, { state: { flash: 'Incident dismissed' } });
        }}
      />
    </>
  );
}

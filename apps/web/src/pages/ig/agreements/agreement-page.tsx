import { Link, useParams } from 'react-router-dom';
import { usePageTitle } from '../../../components/page-title';
import { Table } from '../../../components/table';
import { BackLink, Flash, formatDate, formatDateTime, List, Loaded, SummaryList, Tag } from '../kit/display';
import { useOwnOrg } from '../kit/own-org';
import { useApi } from '../../../use-api';
import { dataCategoryLabel, lawfulBasisLabel, retentionInWords } from '../../../components/vocabulary';
import type { AgreementDetail, AgreementVersion, OrganisationRef } from '../types';
import { AgreementStatusTag } from './agreement-list';
import { shownText, UserText } from '../../../components/user-text';

const nameIn = (parties: readonly OrganisationRef[]) => (id: string) =>
  parties.find((p) => p.id === id)?.name ?? id;

export function AgreementPage() {
  const { id = '' } = useParams();
  const agreement = useApi<AgreementDetail>(`/agreements/${encodeURIComponent(id)}`);
  usePageTitle(shownText(agreement.data?.title ?? 'Agreement'));
  return (
    <>
      <BackLink to="/agreements">Back to agreements</BackLink>
      <Flash />
      <Loaded resource={agreement} page>
        {(a) => <AgreementDetailView a={a} />}
      </Loaded>
    </>
  );
}

function AgreementDetailView({ a }: { a: AgreementDetail }) {
  const ownOrg = useOwnOrg();
  const name = nameIn(a.parties);
  const latest = a.versions[a.versions.length - 1];
  const pending = a.versions.find((v) => v.state === 'pending');
  const mustSign = pending?.awaitingSignatureFrom.includes(ownOrg) ?? false;
  const isLead = a.terms.leadOrg === ownOrg;
  const ended = a.status === 'terminated' || a.termination !== null;
  const withdrawn = a.withdrawals.some((w) => w.orgId === ownOrg);
  const t = a.terms;
  return (
    <>
      <span className="govuk-caption-l">Agreement</span>
      <h1 className="govuk-heading-l">
        <UserText text={a.title} />
      </h1>
      <p className="govuk-body">
        <AgreementStatusTag status={a.status} />
        {a.reviewOverdue ? (
          <>
            {' '}
            <Tag colour="red">Review overdue</Tag>
          </>
        ) : null}
      </p>
      {mustSign && pending ? (
        <div className="govuk-inset-text">
          Version {pending.version} is waiting for your organisation&apos;s signature.{' '}
          <Link className="govuk-link" to={`/agreements/${a.id}/sign`}>
            Sign version {pending.version}
          </Link>
        </div>
      ) : null}
      <h2 className="govuk-heading-m">Terms {a.activeVersion ? 'in force' : 'as drafted'}</h2>
      <SummaryList
        rows={[
          ['Reference', <code key="id">{a.id}</code>],
          ['Lead organisation', a.leadOrganisation.name ?? a.leadOrganisation.id],
          ['Parties', <List key="p" items={a.parties.map((p) => p.name ?? p.id)} />],
          ['Category', `${a.category} (tier ${a.tier})`],
          [
            'Version in force',
            a.activeVersion ? `Version ${a.activeVersion}` : 'None yet: awaiting signatures',
          ],
          ['Purposes', <List key="pu" items={t.purposes} />],
          ['Lawful bases', <List key="lb" items={t.lawfulBases.map(lawfulBasisLabel)} />],
          ['Data categories', <List key="dc" items={t.dataCategories.map(dataCategoryLabel)} />],
          ['Retention period', retentionInWords(t.retentionPeriod)],
          ['Purpose stated at each opening', t.requirePurposeConfirmation ? 'Yes' : 'No'],
          ['Review', `Every ${t.reviewIntervalMonths} months; next due ${formatDate(a.nextReviewDue)}`],
          ['Last reviewed', a.lastReviewedAt ? formatDate(a.lastReviewedAt) : 'Not yet reviewed'],
          ...(a.suspension ? [['Suspended', a.suspension.reason] as const] : []),
          ...(a.termination
            ? [
                [
                  'Termination',
                  `Notice served by ${name(a.termination.noticeServedBy)}, effective ${formatDate(a.termination.effectiveAt)}`,
                ] as const,
              ]
            : []),
          ...(a.withdrawals.length > 0
            ? [
                [
                  'Withdrawals',
                  <List
                    key="w"
                    items={a.withdrawals.map((w) => `${name(w.orgId)} from ${formatDate(w.effectiveAt)}`)}
                  />,
                ] as const,
              ]
            : []),
        ]}
      />
      {latest ? <Signatures version={latest} name={name} /> : null}
      {!ended ? (
        <>
          <h2 className="govuk-heading-m">What you can do</h2>
          <ul className="govuk-list">
            {mustSign && pending ? (
              <li>
                <Link className="govuk-link" to={`/agreements/${a.id}/sign`}>
                  Sign version {pending.version}
                </Link>
              </li>
            ) : null}
            <li>
              <Link className="govuk-link" to={`/agreements/${a.id}/amend`}>
                Propose an amendment
              </Link>
            </li>
            {a.activeVersion ? (
              <li>
                <Link className="govuk-link" to={`/agreements/${a.id}/review`}>
                  Record a review
                </Link>
              </li>
            ) : null}
            {isLead ? (
              <li>
                <Link className="govuk-link" to={`/agreements/${a.id}/terminate`}>
                  Terminate the agreement
                </Link>
              </li>
            ) : !withdrawn ? (
              <li>
                <Link className="govuk-link" to={`/agreements/${a.id}/withdraw`}>
                  Withdraw your organisation
                </Link>
              </li>
            ) : null}
          </ul>
        </>
      ) : null}
      <VersionHistory versions={a.versions} />
    </>
  );
}

function Signatures({ version, name }: { version: AgreementVersion; name(id: string): string }) {
  return (
    <>
      <h2 className="govuk-heading-m">Signatures for version {version.version}</h2>
      <Table
        caption={`Who has signed version ${version.version}`}
        captionClassName="govuk-visually-hidden"
        rows={version.terms.parties.map((party) => ({
          party,
          s: version.signatures.find((x) => x.orgId === party),
        }))}
        rowKey={(r) => r.party}
        columns={[
          { header: 'Party', rowHeader: true, cell: (r) => name(r.party) },
          {
            header: 'Signed by',
            cell: ({ s }) =>
              s ? `${s.signatory}, ${s.position}` : <Tag colour="yellow">Not signed yet</Tag>,
          },
          { header: 'Date', cell: ({ s }) => (s ? formatDate(s.signedOn ?? s.signedAt) : '') },
        ]}
      />
    </>
  );
}

const VERSION_STATE = {
  active: 'In force',
  pending: 'Awaiting signatures',
  superseded: 'Superseded',
} as const;

function VersionHistory({ versions }: { versions: readonly AgreementVersion[] }) {
  return (
    <>
      <h2 className="govuk-heading-m">Versions</h2>
      <Table
        caption="Every version of the agreement"
        captionClassName="govuk-visually-hidden"
        rows={[...versions].reverse()}
        rowKey={(v) => v.version}
        columns={[
          {
            header: 'Version',
            cell: (v) => (
              <>
                {v.version}
                {v.versionLabel ? ` (${v.versionLabel})` : ''}
              </>
            ),
          },
          { header: 'State', cell: (v) => VERSION_STATE[v.state] },
          { header: 'Proposed', cell: (v) => formatDateTime(v.createdAt) },
          { header: 'Reason for change', cell: (v) => v.reasonForChange ?? 'First version' },
        ]}
      />
    </>
  );
}

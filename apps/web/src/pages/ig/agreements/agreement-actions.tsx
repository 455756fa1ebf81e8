import type { ReactNode } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../../../api';
import { BackLink, Loaded } from '../kit/display';
import { QuestionForm, Warning, type Question } from '../kit/question-form';
import type { RefusalMap } from '../kit/refusals';
import { useApi } from '../../../use-api';
import type { AgreementDetail } from '../types';

/**
 * The one-question pages that act on an agreement: sign, record a review, withdraw, terminate. Each shows
 * the agreement's title, asks only what its api call needs, and returns to the agreement with a message.
 */
interface ActionSpec {
  title(a: AgreementDetail): string;
  intro(a: AgreementDetail): ReactNode;
  questions: Question[];
  button: string;
  warning?: boolean;
  path: string;
  refusals: Omit<RefusalMap, 'fields'>;
  body(values: Record<string, string>, a: AgreementDetail): Record<string, unknown>;
  done: string;
}

/** An empty optional field is left out so the api applies its default (today, the usual interval). */
const optional = (key: string, value: string | undefined) => (value?.trim() ? { [key]: value.trim() } : {});

const SIGN: ActionSpec = {
  title: (a) => `Sign version ${a.pendingVersion ?? a.version}`,
  intro: (a) => (
    <p className="govuk-body">
      You are signing version {a.pendingVersion ?? a.version} of &lsquo;{a.title}&rsquo; for your
      organisation. The agreement comes into force when the last party signs.
    </p>
  ),
  questions: [
    { id: 'signatory', label: 'Name of the person signing' },
    { id: 'position', label: 'Their position', hint: "For example, Director of Children's Services" },
    {
      id: 'signedOn',
      label: 'Date signed (optional)',
      hint: 'Only if it was signed on paper on an earlier day. Leave empty for today.',
      kind: 'date',
    },
  ],
  button: 'Sign agreement',
  path: 'signatures',
  refusals: {
    codes: {
      'agreement.signatory-required': 'signatory',
      'agreement.signed-on-invalid': 'signedOn',
      'agreement.version-changed': 'signatory',
      'agreement.already-signed': 'signatory',
    },
    fallback: 'signatory',
  },
  body: (v, a) => ({
    signatory: v.signatory,
    position: v.position,
    ...optional('signedOn', v.signedOn),
    // The version the signatory read: the api refuses (409) if a newer one was proposed meanwhile.
    version: a.pendingVersion ?? a.version,
  }),
  done: 'Agreement signed',
};

const REVIEW: ActionSpec = {
  title: () => 'Record a review',
  intro: (a) => (
    <p className="govuk-body">
      Record that the partners have reviewed &lsquo;{a.title}&rsquo;. The next review falls due{' '}
      {a.terms.reviewIntervalMonths} months from today, unless you give an earlier date.
    </p>
  ),
  questions: [
    {
      id: 'nextReviewDue',
      label: 'Next review (optional)',
      hint: 'Only if it should be sooner than the usual interval',
      kind: 'date',
    },
  ],
  button: 'Record review',
  path: 'reviews',
  refusals: { codes: { 'agreement.next-review-invalid': 'nextReviewDue' }, fallback: 'nextReviewDue' },
  body: (v) => optional('nextReviewDue', v.nextReviewDue),
  done: 'Review recorded',
};

const EFFECTIVE: Question = {
  id: 'effectiveAt',
  label: 'Date it takes effect',
  hint: 'Today or later',
  kind: 'date',
};

const WITHDRAW: ActionSpec = {
  title: () => 'Withdraw your organisation',
  intro: (a) => (
    <Warning>
      From this date your organisation can neither share nor open documents under &lsquo;{a.title}&rsquo;. The
      other parties carry on while at least two remain.
    </Warning>
  ),
  questions: [EFFECTIVE],
  button: 'Withdraw from agreement',
  warning: true,
  path: 'withdrawal',
  refusals: { codes: { 'agreement.effective-date-invalid': 'effectiveAt' }, fallback: 'effectiveAt' },
  body: (v) => ({ effectiveAt: v.effectiveAt }),
  done: 'Withdrawal recorded',
};

const TERMINATE: ActionSpec = {
  ...WITHDRAW,
  title: () => 'Terminate the agreement',
  intro: (a) => (
    <Warning>From this date no party can share or open documents under &lsquo;{a.title}&rsquo;.</Warning>
  ),
  button: 'Terminate agreement',
  path: 'termination',
  done: 'Notice of termination served',
};

function AgreementActionPage({ spec }: { spec: ActionSpec }) {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const agreement = useApi<AgreementDetail>(`/agreements/${encodeURIComponent(id)}`);
  return (
    <>
      <BackLink to={`/agreements/${id}`}>Back to the agreement</BackLink>
      <Loaded resource={agreement} page>
        {(a) => (
          <QuestionForm
            caption={a.title}
            title={spec.title(a)}
            intro={spec.intro(a)}
            questions={spec.questions}
            button={spec.button}
            warning={spec.warning}
            refusals={spec.refusals}
            send={async (values) => {
              await api('POST', `/agreements/${encodeURIComponent(a.id)}/${spec.path}`, {
                body: spec.body(values, a),
              });
              navigate(`/agreements/${a.id}`, { state: { flash: spec.done } });
            }}
          />
        )}
      </Loaded>
    </>
  );
}

export const SignAgreementPage = () => <AgreementActionPage spec={SIGN} />;
export const ReviewAgreementPage = () => <AgreementActionPage spec={REVIEW} />;
export const WithdrawFromAgreementPage = () => <AgreementActionPage spec={WITHDRAW} />;
export const TerminateAgreementPage = () => <AgreementActionPage spec={TERMINATE} />;

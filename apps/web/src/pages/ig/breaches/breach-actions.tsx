import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../../../api';
import { BackLink, Loaded } from '../kit/display';
import { QuestionForm, type QuestionFormProps } from '../kit/question-form';
import { useApi } from '../../../use-api';
import type { BreachDetail } from '../types';
import { IcoClock } from './ico-clock';
import { instantOf } from './report-breach';

type Spec = Omit<QuestionFormProps, 'send' | 'caption'> & {
  path: string;
  body(values: Record<string, string>): Record<string, unknown>;
  done: string;
  showClock?: boolean;
};

const optionalInstant = (key: string, value: string | undefined) =>
  value?.trim() ? { [key]: instantOf(value) } : {};

const ASSESS: Spec = {
  title: 'Assess whether the ICO must be told',
  intro: (
    <p className="govuk-body">
      The ICO must be told unless the breach is unlikely to result in a risk to people&apos;s rights and
      freedoms (UK GDPR Article 33).
    </p>
  ),
  questions: [
    {
      id: 'icoReportable',
      label: 'Must the ICO be told?',
      kind: 'radios',
      inline: true,
      choices: [
        { value: 'yes', label: 'Yes' },
        { value: 'no', label: 'No' },
      ],
    },
    { id: 'rationale', label: 'Why?', kind: 'textarea' },
  ],
  button: 'Record assessment',
  refusals: {
    codes: { 'breach.rationale-required': 'rationale', 'breach.already-assessed': 'icoReportable' },
    fallback: 'icoReportable',
  },
  path: 'assessment',
  body: (v) => ({
    ...(v.icoReportable ? { icoReportable: v.icoReportable === 'yes' } : {}),
    rationale: v.rationale,
  }),
  done: 'Assessment recorded',
  showClock: true,
};

const NOTIFY_ICO: Spec = {
  title: 'Record that the ICO was told',
  questions: [
    { id: 'reference', label: "The ICO's case reference" },
    {
      id: 'notifiedAt',
      label: 'When was it told? (optional)',
      hint: 'Leave empty for now',
      kind: 'datetime-local',
    },
  ],
  button: 'Record ICO notification',
  refusals: {
    codes: {
      'breach.ico-reference-required': 'reference',
      'breach.notified-at-invalid': 'notifiedAt',
      'breach.ico-already-notified': 'reference',
      'breach.not-reportable': 'reference',
      'breach.not-assessed': 'reference',
    },
    fallback: 'reference',
  },
  path: 'ico-notification',
  body: (v) => ({ reference: v.reference, ...optionalInstant('notifiedAt', v.notifiedAt) }),
  done: 'ICO notification recorded',
  showClock: true,
};

const NOTIFY_SUBJECTS: Spec = {
  title: 'Record that the people affected were told',
  intro: (
    <p className="govuk-body">
      Where a breach is likely to result in a high risk to people, they must be told without undue delay (UK
      GDPR Article 34).
    </p>
  ),
  questions: [
    {
      id: 'notifiedAt',
      label: 'When were they told? (optional)',
      hint: 'Leave empty for now',
      kind: 'datetime-local',
    },
  ],
  button: 'Record that they were told',
  refusals: {
    codes: { 'breach.notified-at-invalid': 'notifiedAt', 'breach.subjects-already-notified': 'notifiedAt' },
    fallback: 'notifiedAt',
  },
  path: 'subject-notification',
  body: (v) => optionalInstant('notifiedAt', v.notifiedAt),
  done: 'Recorded that the people affected were told',
};

const CLOSE: Spec = {
  title: 'Close the breach',
  questions: [
    { id: 'outcome', label: 'Outcome', kind: 'textarea' },
    { id: 'lessons', label: 'Lessons learned', kind: 'textarea' },
  ],
  button: 'Close breach',
  refusals: {
    codes: { 'breach.outcome-required': 'outcome', 'breach.ico-notification-outstanding': 'outcome' },
    fallback: 'outcome',
  },
  path: 'closure',
  body: (v) => ({ outcome: v.outcome, lessons: v.lessons }),
  done: 'Breach closed',
};

function BreachActionPage({ spec }: { spec: Spec }) {
  const { id = '' } = useParams();
  const navigate = useNavigate();
  const breach = useApi<BreachDetail>(`/breaches/${encodeURIComponent(id)}`);
  const { path, body, done, showClock, ...form } = spec;
  return (
    <>
      <BackLink to={`/breaches/${id}`}>Back to the breach</BackLink>
      <Loaded resource={breach} page>
        {(b) => (
          <>
            <QuestionForm
              {...form}
              caption="Breach report"
              send={async (values) => {
                await api('POST', `/breaches/${encodeURIComponent(b.id)}/${path}`, { body: body(values) });
                navigate(`/breaches/${b.id}`, { state: { flash: done } });
              }}
            />
            {showClock ? <IcoClock b={b} /> : null}
          </>
        )}
      </Loaded>
    </>
  );
}

export const AssessBreachPage = () => <BreachActionPage spec={ASSESS} />;
export const NotifyIcoPage = () => <BreachActionPage spec={NOTIFY_ICO} />;
export const NotifySubjectsPage = () => <BreachActionPage spec={NOTIFY_SUBJECTS} />;
export const CloseBreachPage = () => <BreachActionPage spec={CLOSE} />;

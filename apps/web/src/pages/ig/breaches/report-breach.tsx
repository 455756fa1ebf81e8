import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../../../api';
import { usePageTitle } from '../../../components/page-title';
import { BackLink } from '../kit/display';
import {
  Checkboxes,
  Form,
  FormErrorSummary,
  Radios,
  Select,
  SubmitButton,
  TextArea,
  TextField,
} from '../kit/fields';
import { useFormErrors } from '../kit/refusals';
import { useApi } from '../../../use-api';
import { dataCategoryChoices } from '../../../components/vocabulary';
import type { AgreementSummary, ItemList } from '../types';
import { shownText } from '../../../components/user-text';

const FIELDS = [
  'discoveredAt',
  'description',
  'nearMiss',
  'severity',
  'agreementId',
  'dataCategories',
  'approxSubjects',
];

/** A local date and time as typed (datetime-local) to an instant; what cannot be read is sent as typed. */
export const instantOf = (local: string): string => {
  const t = Date.parse(local);
  return local && !Number.isNaN(t) ? new Date(t).toISOString() : local;
};

export function ReportBreachPage() {
  const navigate = useNavigate();
  const agreements = useApi<ItemList<AgreementSummary>>('/agreements');
  const [f, setF] = useState({
    discoveredAt: '',
    description: '',
    nearMiss: '',
    severity: '',
    agreementId: '',
    dataCategories: [] as string[],
    approxSubjects: '',
  });
  const set = (change: Partial<typeof f>) => setF((v) => ({ ...v, ...change }));
  const { errors, busy, submit } = useFormErrors({
    codes: {
      'breach.discovered-at-invalid': 'discoveredAt',
      'breach.discovered-in-future': 'discoveredAt',
      'breach.description-required': 'description',
      'breach.severity-invalid': 'severity',
      'breach.agreement-not-found': 'agreementId',
      'breach.not-a-party': 'agreementId',
      'breach.data-category-invalid': 'dataCategories',
      'breach.subjects-invalid': 'approxSubjects',
    },
    fallback: 'discoveredAt',
    fields: FIELDS,
  });
  usePageTitle('Report a breach', Object.keys(errors).length > 0);
  const send = () =>
    submit(async () => {
      const subjects = Number(f.approxSubjects);
      const created = await api<{ id: string }>('POST', '/breaches', {
        body: {
          discoveredAt: instantOf(f.discoveredAt),
          description: f.description,
          ...(f.nearMiss ? { nearMiss: f.nearMiss === 'yes' } : {}),
          severity: f.severity,
          ...(f.agreementId ? { agreementId: f.agreementId } : {}),
          ...(f.dataCategories.length > 0 ? { dataCategories: f.dataCategories } : {}),
          ...(f.approxSubjects.trim()
            ? { approxSubjects: Number.isInteger(subjects) ? subjects : f.approxSubjects }
            : {}),
        },
      });
      navigate(`/breaches/${created.id}`, {
        state: { flash: 'Breach reported. The IG leads of every party to the agreement have been told.' },
      });
    });
  return (
    <>
      <BackLink to="/breaches">Back to breach reports</BackLink>
      <FormErrorSummary errors={errors} order={FIELDS} />
      <h1 className="govuk-heading-l">Report a breach</h1>
      <p className="govuk-body">
        Do not include names or other personal details in the description: say what happened and what kind of
        information was involved.
      </p>
      <Form onSubmit={() => void send()}>
        <TextField
          id="discoveredAt"
          label="When was it discovered?"
          hint="The ICO's 72 hours start from this moment"
          type="datetime-local"
          value={f.discoveredAt}
          onChange={(discoveredAt) => set({ discoveredAt })}
          error={errors.discoveredAt}
          width="govuk-input--width-20"
        />
        <TextArea
          id="description"
          label="What happened?"
          value={f.description}
          onChange={(description) => set({ description })}
          error={errors.description}
        />
        <Radios
          id="nearMiss"
          legend="Did personal data actually leave your organisation?"
          choices={[
            { value: 'no', label: 'Yes, it is a breach' },
            { value: 'yes', label: 'No, it is a near miss', hint: 'It was caught before anyone saw it' },
          ]}
          value={f.nearMiss}
          onChange={(nearMiss) => set({ nearMiss })}
          error={errors.nearMiss}
        />
        <Radios
          id="severity"
          legend="How serious is it?"
          choices={[
            { value: 'low', label: 'Low' },
            { value: 'medium', label: 'Medium' },
            { value: 'high', label: 'High', hint: 'A risk to people’s rights and freedoms is likely' },
          ]}
          value={f.severity}
          onChange={(severity) => set({ severity })}
          error={errors.severity}
          inline
        />
        <Select
          id="agreementId"
          label="Agreement involved (optional)"
          hint="The IG leads of every party to it are told at once"
          value={f.agreementId}
          onChange={(agreementId) => set({ agreementId })}
          error={errors.agreementId}
          options={[
            { value: '', label: 'None' },
            ...(agreements.data?.items ?? []).map((a) => ({ value: a.id, label: shownText(a.title) })),
          ]}
        />
        <Checkboxes
          id="dataCategories"
          legend="Kinds of information involved (optional)"
          choices={dataCategoryChoices}
          values={f.dataCategories}
          onChange={(dataCategories) => set({ dataCategories })}
          error={errors.dataCategories}
          small
        />
        <TextField
          id="approxSubjects"
          label="About how many people are affected? (optional)"
          value={f.approxSubjects}
          onChange={(approxSubjects) => set({ approxSubjects })}
          error={errors.approxSubjects}
          width="govuk-input--width-5"
        />
        <SubmitButton busy={busy}>Report breach</SubmitButton>
      </Form>
    </>
  );
}

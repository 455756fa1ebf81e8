import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { api } from '../../../api';
import { usePageTitle } from '../../../components/page-title';
import { BackLink, Loaded } from '../kit/display';
import { Form, FormErrorSummary, SubmitButton, TextArea } from '../kit/fields';
import { useOwnOrg } from '../kit/own-org';
import { useFormErrors } from '../kit/refusals';
import { useApi } from '../../../use-api';
import type { AgreementDetail, ItemList, Organisation } from '../types';
import {
  AgreementTermsFields,
  TERMS_FIELDS,
  TERMS_REFUSALS,
  termsForm,
  toTerms,
  type TermsForm,
} from './agreement-fields';

const FIELDS = [...TERMS_FIELDS, 'reasonForChange'] as const;

/** An amendment names only what changes, so the pointers of its refusals sit under /changes. */
const POINTERS = Object.fromEntries(TERMS_FIELDS.map((f) => [`/changes/${f}`, f]));

export function AmendAgreementPage() {
  const { id = '' } = useParams();
  const agreement = useApi<AgreementDetail>(`/agreements/${encodeURIComponent(id)}`);
  const organisations = useApi<ItemList<Organisation>>('/organisations');
  return (
    <>
      <BackLink to={`/agreements/${id}`}>Back to the agreement</BackLink>
      <Loaded resource={agreement} page>
        {(a) => (
          <Loaded resource={organisations}>{({ items }) => <AmendForm a={a} organisations={items} />}</Loaded>
        )}
      </Loaded>
    </>
  );
}

function AmendForm({ a, organisations }: { a: AgreementDetail; organisations: Organisation[] }) {
  const ownOrg = useOwnOrg();
  const navigate = useNavigate();
  // The latest version's terms: an amendment replaces a version nobody finished signing.
  const base = a.versions[a.versions.length - 1]?.terms ?? a.terms;
  const [form, setForm] = useState<TermsForm>(() => termsForm(base));
  const [reasonForChange, setReason] = useState('');
  const { errors, setErrors, busy, submit } = useFormErrors({
    codes: {
      ...TERMS_REFUSALS,
      'agreement.reason-for-change-required': 'reasonForChange',
      'agreement.amendment-empty': 'title',
      'agreement.field-not-amendable': 'title',
    },
    pointers: POINTERS,
    fallback: 'reasonForChange',
    fields: FIELDS,
  });
  usePageTitle('Propose an amendment', Object.keys(errors).length > 0);
  const send = () =>
    submit(async () => {
      const before = toTerms(termsForm(base), base.leadOrg);
      const after = toTerms(form, base.leadOrg);
      const changes = Object.fromEntries(
        Object.entries(after).filter(([k, v]) => JSON.stringify(v) !== JSON.stringify(before[k])),
      );
      if (Object.keys(changes).length === 0) {
        setErrors({ title: 'Change at least one of the terms' });
        return;
      }
      const out = await api<{ version: number }>(
        'POST',
        `/agreements/${encodeURIComponent(a.id)}/amendments`,
        {
          body: { changes, reasonForChange },
        },
      );
      navigate(`/agreements/${a.id}`, {
        state: {
          flash: `Version ${out.version} proposed. It comes into force when every party has signed it.`,
        },
      });
    });
  return (
    <>
      <FormErrorSummary errors={errors} order={FIELDS} />
      <span className="govuk-caption-l">{a.title}</span>
      <h1 className="govuk-heading-l">Propose an amendment</h1>
      <p className="govuk-body">
        Change the terms below. The version in force keeps governing sharing until every party has signed the
        new one.
      </p>
      <Form onSubmit={() => void send()}>
        <AgreementTermsFields
          form={form}
          set={(change) => setForm((f) => ({ ...f, ...change }))}
          errors={errors}
          ownOrg={ownOrg === base.leadOrg ? ownOrg : base.leadOrg}
          organisations={organisations}
        />
        <TextArea
          id="reasonForChange"
          label="Reason for the change"
          value={reasonForChange}
          onChange={setReason}
          error={errors.reasonForChange}
          rows={3}
        />
        <SubmitButton busy={busy}>Propose amendment</SubmitButton>
      </Form>
    </>
  );
}

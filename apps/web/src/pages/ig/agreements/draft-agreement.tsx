import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../../../api';
import { usePageTitle } from '../../../components/page-title';
import { BackLink, Loaded } from '../kit/display';
import { Form, FormErrorSummary, SubmitButton } from '../kit/fields';
import { useOwnOrg } from '../kit/own-org';
import { useFormErrors } from '../kit/refusals';
import { useApi } from '../../../use-api';
import type { AgreementSummary, ItemList, Organisation } from '../types';
import {
  AgreementTermsFields,
  emptyTerms,
  TERMS_FIELDS,
  TERMS_REFUSALS,
  toTerms,
  type TermsForm,
} from './agreement-fields';

/** Draft an agreement your organisation leads (POST /agreements); every party then signs version 1. */
export function DraftAgreementPage() {
  const ownOrg = useOwnOrg();
  const navigate = useNavigate();
  const organisations = useApi<ItemList<Organisation>>('/organisations');
  const agreements = useApi<ItemList<AgreementSummary>>('/agreements');
  const [form, setForm] = useState<TermsForm>(() => emptyTerms(ownOrg));
  const { errors, busy, submit } = useFormErrors({
    codes: TERMS_REFUSALS,
    fallback: 'title',
    fields: TERMS_FIELDS,
  });
  usePageTitle('Draft an agreement', Object.keys(errors).length > 0);
  const save = () =>
    submit(async () => {
      const created = await api<{ id: string }>('POST', '/agreements', { body: toTerms(form, ownOrg) });
      navigate(`/agreements/${created.id}`, {
        state: { flash: 'Agreement drafted. Each party now signs version 1.' },
      });
    });
  return (
    <>
      <BackLink to="/agreements">Back to agreements</BackLink>
      <FormErrorSummary errors={errors} order={TERMS_FIELDS} />
      <h1 className="govuk-heading-l">Draft an agreement</h1>
      <p className="govuk-body">
        Your organisation leads the agreement. Once every party has signed it, it comes into force.
      </p>
      <Loaded resource={organisations}>
        {({ items }) => (
          <Form onSubmit={() => void save()}>
            <AgreementTermsFields
              form={form}
              set={(change) => setForm((f) => ({ ...f, ...change }))}
              errors={errors}
              ownOrg={ownOrg}
              organisations={items}
              parents={agreements.data?.items ?? []}
            />
            <SubmitButton busy={busy}>Draft agreement</SubmitButton>
          </Form>
        )}
      </Loaded>
    </>
  );
}

import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { api } from '../../../api';
import { usePageTitle } from '../../../components/page-title';
import { Form, FormErrorSummary, Radios, SubmitButton, TextArea, TextField } from '../kit/fields';
import { useFormErrors } from '../kit/refusals';
import type { SubjectRequest } from '../types';

const FIELDS = ['kind', 'scheme', 'value', 'reason', 'documentId', 'correctedDocumentId', 'reference'];

export const KINDS = {
  access: ['Access', 'A copy of what is held about the person and who saw it (UK GDPR Article 15)'],
  restriction: ['Restriction', 'Stop the documents being opened while a dispute is settled (Article 18)'],
  'lift-restriction': ['Lift a restriction', 'Allow the documents to be opened again'],
  erasure: ['Erasure', 'Erase the documents unless an exemption applies (Article 17)'],
  rectification: ['Rectification', 'Replace a document with a corrected one already shared (Article 16)'],
} as const;

/** Start a subject request (POST /subject-requests), or follow one already started by its reference. */
export function SubjectRequestsPage() {
  const navigate = useNavigate();
  const [f, setF] = useState({
    kind: '',
    scheme: '',
    value: '',
    reason: '',
    documentId: '',
    correctedDocumentId: '',
  });
  const set = (change: Partial<typeof f>) => setF((v) => ({ ...v, ...change }));
  const { errors, busy, submit } = useFormErrors({
    codes: {
      'subject.nhs-number-invalid': 'value',
      'subject.value-invalid': 'value',
      'subject.scheme-invalid': 'scheme',
      'subject-request.reason-required': 'reason',
      'subject-request.documents-required': 'documentId',
      'subject-request.not-about-subject': 'documentId',
      'subject-request.already-superseded': 'documentId',
      'subject-request.document-erased': 'documentId',
    },
    pointers: { '/subject/scheme': 'scheme', '/subject/value': 'value', '/subject': 'scheme' },
    fallback: 'kind',
    fields: FIELDS,
  });
  const [reference, setReference] = useState('');
  const [referenceError, setReferenceError] = useState<string | undefined>(undefined);
  const allErrors = { ...errors, ...(referenceError ? { reference: referenceError } : {}) };
  usePageTitle('Subject requests', Object.keys(allErrors).length > 0);
  const send = () =>
    submit(async () => {
      const started = await api<SubjectRequest>('POST', '/subject-requests', {
        body: {
          kind: f.kind,
          subject: { scheme: f.scheme, value: f.value },
          reason: f.reason,
          ...(f.kind === 'rectification' && f.documentId ? { documentId: f.documentId.trim() } : {}),
          ...(f.kind === 'rectification' && f.correctedDocumentId
            ? { correctedDocumentId: f.correctedDocumentId.trim() }
            : {}),
        },
      });
      navigate(`/subject-requests/${started.id}`, {
        state: { flash: `Request started. Its reference is ${started.id}: keep it to follow the request.` },
      });
    });
  const follow = () => {
    const id = reference.trim();
    if (!/^[0-9a-f-]{36}$/i.test(id)) {
      setReferenceError('Enter the reference in full, for example 0f8c2a4e-1b7d-4c3a-9e21-5d6f7a8b9c0d');
      return;
    }
    setReferenceError(undefined);
    navigate(`/subject-requests/${id}`);
  };
  return (
    <>
      <FormErrorSummary errors={allErrors} order={FIELDS} />
      <h1 className="govuk-heading-l">Subject requests</h1>
      <p className="govuk-body">
        When a person exercises their rights over what your organisation holds about them, record it here. The
        person is named by NHS number or your local case reference, which the service never stores, only a
        keyed fingerprint of it.
      </p>
      <h2 className="govuk-heading-m">Start a request</h2>
      <Form onSubmit={() => void send()}>
        <Radios
          id="kind"
          legend="What is the person asking for?"
          choices={Object.entries(KINDS).map(([value, [label, hint]]) => ({ value, label, hint }))}
          value={f.kind}
          onChange={(kind) => set({ kind })}
          error={errors.kind}
        />
        <Radios
          id="scheme"
          legend="How is the person identified?"
          choices={[
            { value: 'nhs-number', label: 'NHS number' },
            { value: 'local-ref', label: 'Local case reference' },
          ]}
          value={f.scheme}
          onChange={(scheme) => set({ scheme })}
          error={errors.scheme}
          inline
        />
        <TextField
          id="value"
          label={f.scheme === 'local-ref' ? 'Their local case reference' : 'Their NHS number'}
          hint={f.scheme === 'local-ref' ? undefined : 'A 10 digit number, like 485 777 3456'}
          value={f.value}
          onChange={(value) => set({ value })}
          error={errors.value}
          width="govuk-input--width-10"
          spellCheck={false}
        />
        <TextArea
          id="reason"
          label="Details of the request"
          hint="For example, the date of the person's letter and what they ask. Do not repeat the identifier."
          value={f.reason}
          onChange={(reason) => set({ reason })}
          error={errors.reason}
          rows={3}
        />
        {f.kind === 'rectification' ? (
          <>
            <TextField
              id="documentId"
              label="Reference of the document to correct"
              value={f.documentId}
              onChange={(documentId) => set({ documentId })}
              error={errors.documentId}
              spellCheck={false}
            />
            <TextField
              id="correctedDocumentId"
              label="Reference of the corrected document"
              hint="Share the corrected document first; it replaces the one above"
              value={f.correctedDocumentId}
              onChange={(correctedDocumentId) => set({ correctedDocumentId })}
              error={errors.correctedDocumentId}
              spellCheck={false}
            />
          </>
        ) : null}
        <SubmitButton busy={busy}>Start request</SubmitButton>
      </Form>
      <h2 className="govuk-heading-m">Follow a request</h2>
      <Form onSubmit={follow}>
        <TextField
          id="reference"
          label="Request reference"
          value={reference}
          onChange={setReference}
          error={referenceError}
          width="govuk-input--width-30"
          spellCheck={false}
        />
        <button type="submit" className="govuk-button govuk-button--secondary" data-module="govuk-button">
          Find request
        </button>
      </Form>
    </>
  );
}

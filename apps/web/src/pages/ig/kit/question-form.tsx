import { useState, type ReactNode } from 'react';
import { usePageTitle } from '../../../components/page-title';
import { Form, FormErrorSummary, Radios, SubmitButton, TextArea, TextField, type Choice } from './fields';
import { useFormErrors, type RefusalMap } from './refusals';

/**
 * A page that asks one thing (or a few closely tied things) before one api call: signing, a review, a
 * breach's assessment, an incident's dismissal... GOV.UK's "one thing per page": caption, heading, what
 * happens next, the fields, one button. `send` throws the api's refusal, which lands next to its field.
 */
export interface Question {
  id: string;
  label: string;
  hint?: string;
  kind?: 'text' | 'date' | 'datetime-local' | 'textarea' | 'radios';
  choices?: Choice[];
  /** Radios side by side: only for two or three short answers (GOV.UK). */
  inline?: boolean;
  initial?: string;
}

export interface QuestionFormProps {
  caption: string;
  title: string;
  intro?: ReactNode;
  questions: readonly Question[];
  button: string;
  warning?: boolean;
  refusals: Omit<RefusalMap, 'fields'>;
  send(values: Record<string, string>): Promise<void>;
}

export function QuestionForm(p: QuestionFormProps) {
  const ids = p.questions.map((q) => q.id);
  const [values, setValues] = useState<Record<string, string>>(() =>
    Object.fromEntries(p.questions.map((q) => [q.id, q.initial ?? ''])),
  );
  const { errors, busy, submit } = useFormErrors({ ...p.refusals, fields: ids });
  usePageTitle(p.title, Object.keys(errors).length > 0);
  const field = (q: Question) => {
    const common = {
      id: q.id,
      hint: q.hint,
      value: values[q.id] ?? '',
      onChange: (value: string) => setValues((v) => ({ ...v, [q.id]: value })),
      error: errors[q.id],
    };
    switch (q.kind ?? 'text') {
      case 'textarea':
        return <TextArea key={q.id} label={q.label} rows={4} {...common} />;
      case 'radios':
        return <Radios key={q.id} legend={q.label} choices={q.choices ?? []} inline={q.inline} {...common} />;
      case 'date':
      case 'datetime-local':
        return (
          <TextField
            key={q.id}
            label={q.label}
            type={q.kind as 'date' | 'datetime-local'}
            width="govuk-input--width-20"
            {...common}
          />
        );
      default:
        return <TextField key={q.id} label={q.label} {...common} />;
    }
  };
  return (
    <>
      <FormErrorSummary errors={errors} order={ids} />
      <span className="govuk-caption-l">{p.caption}</span>
      <h1 className="govuk-heading-l">{p.title}</h1>
      {p.intro}
      <Form onSubmit={() => void submit(() => p.send(values))}>
        {p.questions.map(field)}
        <SubmitButton busy={busy} warning={p.warning}>
          {p.button}
        </SubmitButton>
      </Form>
    </>
  );
}

/** GOV.UK warning text: for the actions that cannot be undone. */
export function Warning({ children }: { children: ReactNode }) {
  return (
    <div className="govuk-warning-text">
      <span className="govuk-warning-text__icon" aria-hidden="true">
        !
      </span>
      <strong className="govuk-warning-text__text">
        <span className="govuk-visually-hidden">Warning</span>
        {children}
      </strong>
    </div>
  );
}

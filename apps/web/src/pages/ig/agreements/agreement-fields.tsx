import { Checkboxes, Radios, Select, TextArea, TextField } from '../kit/fields';
import type { FieldErrors, RefusalMap } from '../kit/refusals';
import {
  dataCategoryChoices,
  familyHeading,
  KNOWN_AGREEMENT_CATEGORIES,
  lawfulBasisChoices,
  lawfulBasisFamilies,
} from '../../../components/vocabulary';
import type { AgreementSummary, AgreementTerms, Organisation } from '../types';

/** What the terms form holds: text as typed; `toTerms` turns it into the api's shape. */
export interface TermsForm {
  title: string;
  category: string;
  tier: string;
  parentId: string;
  purposes: string;
  parties: string[];
  lawfulBases: string[];
  dataCategories: string[];
  retentionPeriod: string;
  reviewIntervalMonths: string;
  requirePurposeConfirmation: string;
}

export const emptyTerms = (ownOrg: string): TermsForm => ({
  title: '',
  category: '',
  tier: '1',
  parentId: '',
  purposes: '',
  parties: [ownOrg],
  lawfulBases: [],
  dataCategories: [],
  retentionPeriod: '',
  reviewIntervalMonths: '12',
  requirePurposeConfirmation: 'no',
});

/** "6" is six years; anything else is sent as typed (an ISO 8601 duration such as P18M), for the api to judge. */
const retention = (text: string): string =>
  /^\s*\d+\s*$/.test(text) ? `P${text.trim()}Y` : text.trim().toUpperCase();

export function termsForm(t: AgreementTerms): TermsForm {
  const years = /^P(\d+)Y$/.exec(t.retentionPeriod);
  return {
    title: t.title,
    category: t.category,
    tier: String(t.tier),
    parentId: t.parentId ?? '',
    purposes: t.purposes.join('\n'),
    parties: [...t.parties],
    lawfulBases: [...t.lawfulBases],
    dataCategories: [...t.dataCategories],
    retentionPeriod: years ? years[1]! : t.retentionPeriod,
    reviewIntervalMonths: String(t.reviewIntervalMonths),
    requirePurposeConfirmation: t.requirePurposeConfirmation ? 'yes' : 'no',
  };
}

/** The draft's body (POST /agreements); numbers that are not numbers go as typed so the api names the field. */
export function toTerms(f: TermsForm, leadOrg: string): Record<string, unknown> {
  const months = Number(f.reviewIntervalMonths);
  return {
    title: f.title.trim(),
    category: f.category.trim(),
    tier: Number(f.tier),
    ...(f.tier === '2' && f.parentId ? { parentId: f.parentId } : {}),
    purposes: f.purposes
      .split('\n')
      .map((p) => p.trim())
      .filter(Boolean),
    leadOrg,
    parties: f.parties,
    lawfulBases: f.lawfulBases,
    dataCategories: f.dataCategories,
    retentionPeriod: retention(f.retentionPeriod),
    reviewIntervalMonths:
      f.reviewIntervalMonths.trim() === '' || Number.isNaN(months) ? f.reviewIntervalMonths : months,
    requirePurposeConfirmation: f.requirePurposeConfirmation === 'yes',
  };
}

/** The order the fields appear in, for the error summary. */
export const TERMS_FIELDS = [
  'title',
  'category',
  'tier',
  'parentId',
  'purposes',
  'parties',
  'lawfulBases',
  'lawfulBases-art9',
  'lawfulBases-sch1',
  'lawfulBases-part3',
  'dataCategories',
  'retentionPeriod',
  'reviewIntervalMonths',
  'requirePurposeConfirmation',
] as const;

/** Each rule the domain checks on terms (libs/domain agreement errors), placed next to the field it is about. */
export const TERMS_REFUSALS: Required<Pick<RefusalMap, 'codes'>>['codes'] = {
  'agreement.title-required': 'title',
  'agreement.category-required': 'category',
  'agreement.tier-invalid': 'tier',
  'agreement.parent-required': 'parentId',
  'agreement.parent-not-found': 'parentId',
  'agreement.parent-not-tier-1': 'parentId',
  'agreement.parent-not-allowed': 'parentId',
  'agreement.parent-terminated': 'parentId',
  'agreement.outside-parent-scope': 'purposes',
  'agreement.purposes-required': 'purposes',
  'agreement.purpose-narrows-invalid': 'purposes',
  'agreement.parties-too-few': 'parties',
  'agreement.lead-not-a-party': 'parties',
  'agreement.party-not-registered': 'parties',
  'agreement.party-outside-uk-clause-6-0': 'parties',
  'agreement.amendment-excludes-child': 'parties',
  'agreement.lawful-basis-required': 'lawfulBases',
  'agreement.lawful-basis-invalid': 'lawfulBases',
  'agreement.art9-basis-required': 'lawfulBases-art9',
  'agreement.schedule1-condition-required': 'lawfulBases-sch1',
  'agreement.criminal-offence-condition-required': 'lawfulBases-sch1',
  'agreement.data-categories-required': 'dataCategories',
  'agreement.data-category-invalid': 'dataCategories',
  'agreement.retention-period-invalid': 'retentionPeriod',
  'agreement.review-interval-invalid': 'reviewIntervalMonths',
};

interface Props {
  form: TermsForm;
  set(change: Partial<TermsForm>): void;
  errors: FieldErrors;
  ownOrg: string;
  organisations: readonly Organisation[];
  /** Tier-1 agreements a tier-2 one may sit under; absent when the tier cannot change (an amendment). */
  parents?: readonly AgreementSummary[];
}

/** The terms of an agreement as form fields: the draft page and the amendment page both show them. */
export function AgreementTermsFields({ form, set, errors, ownOrg, organisations, parents }: Props) {
  const partyChoices = organisations.map((o) => ({
    value: o.id,
    label: o.id === ownOrg ? `${o.name} (your organisation, the lead)` : o.name,
  }));
  return (
    <>
      <TextField
        id="title"
        label="Title"
        value={form.title}
        onChange={(title) => set({ title })}
        error={errors.title}
      />
      <TextField
        id="category"
        label="Category"
        hint={`The register groups agreements by category, for example ${KNOWN_AGREEMENT_CATEGORIES.join(', ')}`}
        value={form.category}
        onChange={(category) => set({ category })}
        error={errors.category}
        width="govuk-input--width-20"
      />
      {parents ? (
        <>
          <Radios
            id="tier"
            legend="Tier"
            choices={[
              {
                value: '1',
                label: 'Tier 1: strategic',
                hint: 'The overarching agreement between the partners',
              },
              {
                value: '2',
                label: 'Tier 2: operational',
                hint: 'Sits under a tier 1 agreement and narrows it',
              },
            ]}
            value={form.tier}
            onChange={(tier) => set({ tier })}
            error={errors.tier}
          />
          {form.tier === '2' ? (
            <Select
              id="parentId"
              label="Tier 1 agreement it sits under"
              value={form.parentId}
              onChange={(parentId) => set({ parentId })}
              error={errors.parentId}
              options={[
                { value: '', label: 'Choose an agreement' },
                ...parents.filter((a) => a.tier === 1).map((a) => ({ value: a.id, label: a.title })),
              ]}
            />
          ) : null}
        </>
      ) : null}
      <TextArea
        id="purposes"
        label="Purposes"
        hint="What the information is shared for. Write one purpose on each line."
        value={form.purposes}
        onChange={(purposes) => set({ purposes })}
        error={errors.purposes}
      />
      <Checkboxes
        id="parties"
        legend="Parties"
        hint="Every organisation that signs the agreement, yours included"
        choices={partyChoices}
        values={form.parties}
        onChange={(parties) => set({ parties })}
        error={errors.parties}
        small
      />
      <h2 className="govuk-heading-m">Lawful bases</h2>
      <p className="govuk-body">
        Choose an Article 6 basis. Special category data also needs an Article 9 condition, and criminal
        offence data a Schedule 1 or Part 3 condition.
      </p>
      {lawfulBasisFamilies.map((family) => {
        const id = family === 'art6' ? 'lawfulBases' : `lawfulBases-${family}`;
        return (
          <Checkboxes
            key={family}
            id={id}
            legend={familyHeading(family)}
            choices={lawfulBasisChoices(family)}
            values={form.lawfulBases}
            onChange={(lawfulBases) => set({ lawfulBases })}
            error={errors[id]}
            small
          />
        );
      })}
      <Checkboxes
        id="dataCategories"
        legend="Data categories"
        hint="The kinds of personal information shared under the agreement"
        choices={dataCategoryChoices}
        values={form.dataCategories}
        onChange={(dataCategories) => set({ dataCategories })}
        error={errors.dataCategories}
        small
      />
      <TextField
        id="retentionPeriod"
        label="Retention period in years"
        hint="How long each document is kept after it is shared, for example 6. For months, write P18M."
        value={form.retentionPeriod}
        onChange={(retentionPeriod) => set({ retentionPeriod })}
        error={errors.retentionPeriod}
        width="govuk-input--width-5"
      />
      <TextField
        id="reviewIntervalMonths"
        label="Review every (months)"
        value={form.reviewIntervalMonths}
        onChange={(reviewIntervalMonths) => set({ reviewIntervalMonths })}
        error={errors.reviewIntervalMonths}
        width="govuk-input--width-5"
      />
      <Radios
        id="requirePurposeConfirmation"
        legend="Must people state the purpose each time they open a document?"
        choices={[
          { value: 'yes', label: 'Yes' },
          { value: 'no', label: 'No' },
        ]}
        value={form.requirePurposeConfirmation}
        onChange={(requirePurposeConfirmation) => set({ requirePurposeConfirmation })}
        error={errors.requirePurposeConfirmation}
        inline
      />
    </>
  );
}

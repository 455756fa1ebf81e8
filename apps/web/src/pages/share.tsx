import { useEffect, useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { api, ApiError } from '../api';
import { CheckboxGroup, RadioGroup } from '../components/choices';
import { ErrorSummary, FieldErrorMessage } from '../components/error-summary';
import { usePageTitle } from '../components/page-title';
import { LabelledField } from '../components/labelled-field';
import { NoKeyNotice } from '../components/no-key-notice';
import { PassphraseField } from '../components/passphrase-field';
import { Loading, ProblemPanel } from '../components/problem';
import { ProgressBar } from '../components/progress-bar';
import { dataCategoryLabel, lawfulBasisInWords, retentionInWords } from '../components/vocabulary';
import { refusalText, runInWorker, type Running } from '../crypto/crypto-client';
import { recallPassphrase, rememberPassphrase } from '../keys/passphrase-cache';
import { useStoredKeys } from '../keys/use-keys';
import { useUser } from '../session';
import type { AgreementDetail, AgreementSummary, OrganisationKey, Team } from '../types';
import { useApi } from '../use-api';
import { fieldOfRefusal, uploadShare, type ShareField, type Upload } from './share-upload';
import {
  keepOffered,
  offerOf,
  parseSubjects,
  retainUntilFrom,
  validateShare,
  type ShareForm,
} from './share-form';
import { shownText } from '../components/user-text';

type Phase =
  | { step: 'form' }
  | { step: 'encrypting'; done: number; total: number; running: Running }
  | { step: 'uploading'; done: number; total: number; upload: Upload };

type Errors = Partial<Record<ShareField | 'passphrase' | 'general', string>>;

const NATURES = [
  { value: 'fact', label: 'Fact' },
  { value: 'opinion', label: 'Opinion' },
  { value: 'mixed', label: 'Both fact and opinion' },
];

const activeKeys = (keys: OrganisationKey[]) => keys.filter((k) => k.status === 'active');

/**
 * Share a file under an agreement in force: the form offers only what that agreement permits; the browser
 * encrypts to every recipient organisation's active keys and the sender's own and signs, in a worker, then
 * uploads the ciphertext. The server sees the metadata and ciphertext, never the file.
 */
export function SharePage() {
  const user = useUser();
  const navigate = useNavigate();
  const agreements = useApi<{ items: AgreementSummary[] }>('/agreements');
  const [form, setForm] = useState<ShareForm>({
    file: null,
    agreementId: '',
    recipients: [],
    teams: {},
    purpose: '',
    dataCategories: [],
    nature: '',
    title: '',
    subjects: '',
    retainDay: '',
    retainMonth: '',
    retainYear: '',
  });
  const agreement = useApi<AgreementDetail>(form.agreementId ? `/agreements/${form.agreementId}` : null);
  const [teams, setTeams] = useState<Record<string, Team[]>>({});
  const { keys: stored } = useStoredKeys(user.organisationId);
  const [passphrase, setPassphrase] = useState('');
  const [errors, setErrors] = useState<Errors>({});
  const [phase, setPhase] = useState<Phase>({ step: 'form' });
  usePageTitle('Share a document', Object.keys(errors).length > 0);

  const set = <K extends keyof ShareForm>(k: K, v: ShareForm[K]) => setForm((f) => ({ ...f, [k]: v }));
  // A detail loaded for an earlier choice is ignored until the new one arrives.
  const detail = agreement.data?.id === form.agreementId ? agreement.data : undefined;
  const terms = detail?.terms ?? null;
  const offer = detail ? offerOf(detail, user.organisationId, new Date()) : null;
  // The agreement whose offer the choices were last trimmed to, and what that trimming dropped.
  const [offeredFor, setOfferedFor] = useState('');
  const [dropped, setDropped] = useState<string[]>([]);
  const names = useRef<Record<string, string>>({});
  for (const r of offer?.recipients ?? []) names.current[r.id] = r.name;
  const ready = offer !== null && offeredFor === form.agreementId;

  // Choices made under the previous agreement stay where the new one offers them too; the rest go, in words.
  // Only those choices are replaced: they are hidden until this runs, while the file and title may change.
  useEffect(() => {
    if (!offer || offeredFor === form.agreementId) return;
    const kept = keepOffered(form, offer, (org) => names.current[org] ?? org);
    setForm((f) => ({ ...f, ...kept.choices }));
    setDropped(kept.dropped);
    setOfferedFor(form.agreementId);
  }, [offer, offeredFor, form]);

  // The teams of each chosen recipient, to address the share to some of them (docs/architecture.md §24).
  useEffect(() => {
    for (const org of form.recipients) {
      if (teams[org]) continue;
      api<{ items: Team[] }>('GET', `/organisations/${encodeURIComponent(org)}/teams`).then(
        (t) => setTeams((all) => ({ ...all, [org]: t.items })),
        () => setTeams((all) => ({ ...all, [org]: [] })),
      );
    }
  }, [form.recipients, teams]);

  const chooseAgreement = (id: string) => {
    setDropped([]);
    set('agreementId', id);
  };

  const signer = stored?.[0];
  const cached = signer ? recallPassphrase(signer.fingerprint) : undefined;

  async function submit(e: FormEvent) {
    e.preventDefault();
    const found: Errors = validateShare(form);
    if (!signer) found.general = 'Add your organisation’s key to this browser before you share';
    const secret = cached ?? passphrase;
    if (signer && secret === '') found.passphrase = 'Enter the passphrase for your key';
    setErrors(found);
    if (Object.keys(found).length > 0 || !signer || !form.file) return;

    let recipientKeys: string[];
    try {
      const ownKeys = activeKeys(
        (
          await api<{ items: OrganisationKey[] }>(
            'GET',
            `/organisations/${encodeURIComponent(user.organisationId ?? '')}/keys`,
          )
        ).items,
      );
      if (!ownKeys.some((k) => k.fingerprint === signer.fingerprint)) {
        return setErrors({
          general:
            'The key in this browser is not an active key of your organisation. Ask your IG lead to upload it',
        });
      }
      recipientKeys = [signer.publicKey];
      for (const org of form.recipients) {
        const keys = activeKeys(
          (await api<{ items: OrganisationKey[] }>('GET', `/organisations/${encodeURIComponent(org)}/keys`))
            .items,
        );
        if (keys.length === 0) return setErrors({ recipients: `${org} has no key to encrypt to yet` });
        recipientKeys.push(...keys.map((k) => k.publicKey));
      }
    } catch (err) {
      return setErrors({
        general: err instanceof ApiError ? err.detail || err.title : 'Could not reach Accord',
      });
    }

    const running = runInWorker(
      {
        op: 'encrypt',
        file: form.file,
        recipientKeys,
        signingKey: signer.armoredPrivate,
        passphrase: secret,
      },
      (p) =>
        setPhase((s) => (s.step === 'encrypting' ? { ...s, done: p.done, total: p.total ?? s.total } : s)),
    );
    setPhase({ step: 'encrypting', done: 0, total: form.file.size, running });
    const outcome = await running.result;
    if (outcome.kind !== 'encrypted') {
      setPhase({ step: 'form' });
      if (outcome.kind === 'refused')
        setErrors(
          outcome.code === 'key.bad-passphrase'
            ? { passphrase: refusalText(outcome.code) }
            : { general: refusalText(outcome.code) },
        );
      else if (outcome.kind === 'failed' && outcome.message !== 'cancelled')
        setErrors({ general: `The file could not be encrypted: ${outcome.message}` });
      return;
    }
    rememberPassphrase(signer.fingerprint, secret);
    setPassphrase('');

    const metadata = {
      agreementId: form.agreementId,
      recipients: form.recipients,
      purpose: form.purpose,
      dataCategories: form.dataCategories,
      nature: form.nature,
      title: form.title.trim() || form.file.name,
      ...(form.subjects.trim() ? { subjects: parseSubjects(form.subjects) } : {}),
      ...(retainUntilFrom(form) ? { retainUntil: retainUntilFrom(form) } : {}),
      ...(Object.values(form.teams).some((t) => t.length > 0)
        ? {
            recipientTeams: Object.fromEntries(
              Object.entries(form.teams).filter(([org, t]) => t.length > 0 && form.recipients.includes(org)),
            ),
          }
        : {}),
    };
    const upload = uploadShare(metadata, outcome.ciphertext, (done, total) =>
      setPhase((s) => (s.step === 'uploading' ? { ...s, done, total } : s)),
    );
    setPhase({ step: 'uploading', done: 0, total: outcome.size, upload });
    const result = await upload.result;
    setPhase({ step: 'form' });
    if (result === 'cancelled') return;
    if (result instanceof ApiError) {
      const byField: Errors = {};
      for (const [field, text] of fieldOfRefusal(result)) byField[field] = text;
      return setErrors(byField);
    }
    navigate(`/share/sent/${result.documentId}`, { state: { title: metadata.title } });
  }

  if (agreements.error) return <ProblemPanel error={agreements.error} />;
  if (!agreements.data) return <Loading />;
  const inForce = agreements.data.items.filter((a) => a.status === 'active');
  const summary = Object.entries(errors).map(([field, text]) => ({
    href: `#${anchorOf(field)}`,
    text: text ?? '',
  }));
  const busy = phase.step !== 'form';

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={summary} />
        <h1 className="govuk-heading-l">Share a document</h1>
        <p className="govuk-body">
          Your browser encrypts the file before it leaves this computer. Accord never sees what is in it.
        </p>
        {stored && stored.length === 0 && <NoKeyNotice />}
        {errors.general && (
          <p className="govuk-error-message" id="general-error">
            <span className="govuk-visually-hidden">Error:</span> {errors.general}
          </p>
        )}
        <form onSubmit={(e) => void submit(e)} noValidate>
          <fieldset className="govuk-fieldset" disabled={busy}>
            <LabelledField id="file" label="File" error={errors.file}>
              <input
                className={`govuk-file-upload${errors.file ? ' govuk-file-upload--error' : ''}`}
                id="file"
                name="file"
                type="file"
                aria-describedby={errors.file ? 'file-error' : undefined}
                onChange={(e) => {
                  const file = e.target.files?.[0] ?? null;
                  setForm((f) => ({ ...f, file, title: f.title || (file?.name ?? '') }));
                }}
              />
            </LabelledField>

            <LabelledField
              id="agreement"
              label="Agreement"
              hint="Only agreements in force are listed."
              error={errors.agreement}
            >
              <select
                className={`govuk-select${errors.agreement ? ' govuk-select--error' : ''}`}
                id="agreement"
                name="agreement"
                aria-describedby={`agreement-hint${errors.agreement ? ' agreement-error' : ''}`}
                value={form.agreementId}
                onChange={(e) => chooseAgreement(e.target.value)}
              >
                <option value="">Choose an agreement</option>
                {inForce.map((a) => (
                  <option key={a.id} value={a.id}>
                    {shownText(a.title)}
                  </option>
                ))}
              </select>
            </LabelledField>

            {form.agreementId && !ready && <Loading />}
            {ready && terms && (
              <>
                {dropped.length > 0 && (
                  <div className="govuk-inset-text" id="dropped-choices" role="status">
                    <p className="govuk-body">
                      This agreement does not permit some of your choices, so they were removed:
                    </p>
                    <ul className="govuk-list govuk-list--bullet">
                      {dropped.map((d) => (
                        <li key={d}>{d}</li>
                      ))}
                    </ul>
                  </div>
                )}
                <p className="govuk-body-s">The lawful bases this agreement records:</p>
                <ul className="govuk-list govuk-list--bullet govuk-body-s">
                  {terms.lawfulBases.map((b) => (
                    <li key={b}>{lawfulBasisInWords(b)}</li>
                  ))}
                </ul>
                <p className="govuk-body-s">
                  Recipients may keep what you share for {retentionInWords(terms.retentionPeriod)} at most.
                </p>
                <CheckboxGroup
                  id="recipients"
                  legend="Recipients"
                  hint="The partner organisations to send it to. Parties that have withdrawn are not listed."
                  error={errors.recipients}
                  choices={offer.recipients.map((p) => ({ value: p.id, label: p.name }))}
                  values={form.recipients}
                  onChange={(v) => set('recipients', v)}
                />
                {form.recipients.map((org) =>
                  (teams[org]?.length ?? 0) > 0 ? (
                    <CheckboxGroup
                      key={org}
                      id={`teams-${org}`}
                      legend={`Teams at ${names.current[org] ?? org} (optional)`}
                      hint="Only members of the teams you choose can open it. Choose none to send it to the organisation’s receiving team."
                      error={undefined}
                      choices={teams[org]!.map((t) => ({ value: t.id, label: t.name }))}
                      values={form.teams[org] ?? []}
                      onChange={(v) => set('teams', { ...form.teams, [org]: v })}
                    />
                  ) : null,
                )}
                <RadioGroup
                  id="purpose"
                  legend="Purpose"
                  hint="Why you are sharing it. Only this agreement’s purposes can be chosen."
                  error={errors.purpose}
                  choices={offer.purposes.map((p) => ({
                    value: p.text,
                    label: p.text,
                    ...(p.narrows ? { hint: `Narrows the parent agreement’s purpose: ${p.narrows}` } : {}),
                  }))}
                  value={form.purpose}
                  onChange={(v) => set('purpose', v)}
                />
                <CheckboxGroup
                  id="dataCategories"
                  legend="Data categories"
                  hint="The kinds of personal data in the file."
                  error={errors.dataCategories}
                  choices={offer.dataCategories.map((c) => ({ value: c, label: dataCategoryLabel(c) }))}
                  values={form.dataCategories}
                  onChange={(v) => set('dataCategories', v)}
                />
              </>
            )}

            <RadioGroup
              id="nature"
              legend="Fact or opinion"
              hint="Whether the document records facts, professional opinion, or both."
              error={errors.nature}
              choices={NATURES}
              value={form.nature}
              onChange={(v) => set('nature', v)}
            />

            <LabelledField
              id="title"
              label="Title"
              hint="Recipients see it in their inbox. Do not put a name or other personal data in it."
              error={errors.title}
            >
              <input
                className={`govuk-input${errors.title ? ' govuk-input--error' : ''}`}
                id="title"
                name="title"
                type="text"
                aria-describedby={`title-hint${errors.title ? ' title-error' : ''}`}
                value={form.title}
                onChange={(e) => set('title', e.target.value)}
              />
            </LabelledField>

            <LabelledField
              id="subjects"
              label="Subjects (optional)"
              hint="The people it is about, one a line: nhs: and their NHS number, or local: and your case reference. Only a keyed reference is stored."
              error={errors.subjects}
            >
              <textarea
                className={`govuk-textarea${errors.subjects ? ' govuk-textarea--error' : ''}`}
                id="subjects"
                name="subjects"
                rows={2}
                aria-describedby={`subjects-hint${errors.subjects ? ' subjects-error' : ''}`}
                value={form.subjects}
                onChange={(e) => set('subjects', e.target.value)}
              />
            </LabelledField>

            <div className={`govuk-form-group${errors.retention ? ' govuk-form-group--error' : ''}`}>
              <fieldset
                className="govuk-fieldset"
                role="group"
                aria-describedby={`retention-hint${errors.retention ? ' retention-error' : ''}`}
              >
                <legend className="govuk-fieldset__legend govuk-fieldset__legend--s">
                  Keep until (optional)
                </legend>
                <div id="retention-hint" className="govuk-hint">
                  Earlier than the agreement’s retention, if you want. For example, 27 3 2027
                </div>
                <FieldErrorMessage id="retention" text={errors.retention} />
                <div className="govuk-date-input" id="retention">
                  {(
                    [
                      ['retainDay', 'Day', 2],
                      ['retainMonth', 'Month', 2],
                      ['retainYear', 'Year', 4],
                    ] as const
                  ).map(([k, label, width]) => (
                    <div className="govuk-date-input__item" key={k}>
                      <div className="govuk-form-group">
                        <label className="govuk-label govuk-date-input__label" htmlFor={k}>
                          {label}
                        </label>
                        <input
                          className={`govuk-input govuk-date-input__input govuk-input--width-${width}${errors.retention ? ' govuk-input--error' : ''}`}
                          id={k}
                          name={k}
                          type="text"
                          inputMode="numeric"
                          value={form[k]}
                          onChange={(e) => set(k, e.target.value)}
                        />
                      </div>
                    </div>
                  ))}
                </div>
              </fieldset>
            </div>

            {signer && !cached && (
              <PassphraseField value={passphrase} onChange={setPassphrase} error={errors.passphrase} />
            )}
          </fieldset>

          {phase.step === 'encrypting' && (
            <ProgressBar
              id="encrypt-progress"
              label="Encrypting in your browser"
              done={phase.done}
              total={phase.total}
            />
          )}
          {phase.step === 'uploading' && (
            <>
              <ProgressBar id="encrypt-progress" label="Encrypting in your browser" done={1} total={1} />
              <ProgressBar id="upload-progress" label="Uploading" done={phase.done} total={phase.total} />
            </>
          )}
          {busy ? (
            <button
              type="button"
              className="govuk-button govuk-button--secondary"
              onClick={() =>
                phase.step === 'encrypting'
                  ? phase.running.cancel()
                  : phase.step === 'uploading'
                    ? phase.upload.cancel()
                    : undefined
              }
            >
              Cancel
            </button>
          ) : stored === undefined || (form.agreementId !== '' && !ready) ? (
            // Until the stored key is read from IndexedDB, whether a passphrase is needed is not known; until
            // the agreement's offer is applied, which choices stand is not.
            <Loading />
          ) : (
            <button type="submit" className="govuk-button" data-module="govuk-button">
              Share
            </button>
          )}
        </form>
      </div>
    </div>
  );
}

function anchorOf(field: string): string {
  switch (field) {
    case 'recipients':
    case 'purpose':
    case 'dataCategories':
    case 'nature':
      return `${field}-0`;
    case 'retention':
      return 'retainDay';
    case 'general':
      return 'general-error';
    default:
      return field;
  }
}

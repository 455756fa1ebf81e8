import { useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router-dom';
import { ErrorSummary } from '../components/error-summary';
import { usePageTitle } from '../components/page-title';
import { refusalText, runInWorker } from '../crypto/crypto-client';
import { saveKey } from '../keys/key-store';
import { useUser } from '../session';
import { describedBy, LabelledField } from '../components/labelled-field';

type Mode = 'import' | 'generate';

/** Minimum passphrase length: NIST SP 800-63B's 8 for memorised secrets, with Argon2 on top. */
const MIN_PASSPHRASE = 8;

/** Import a key exported by gpg or `accord keys export`, or generate one here; either is kept protected. */
export function AddKeyPage({ mode }: { mode: Mode }) {
  const user = useUser();
  const navigate = useNavigate();
  const [file, setFile] = useState<File | null>(null);
  const [filePassphrase, setFilePassphrase] = useState('');
  const [team, setTeam] = useState('');
  const [passphrase, setPassphrase] = useState('');
  const [confirm, setConfirm] = useState('');
  const [errors, setErrors] = useState<Record<string, string>>({});
  const [busy, setBusy] = useState(false);
  const title = mode === 'import' ? 'Import a key' : 'Generate a new key';
  usePageTitle(title, Object.keys(errors).length > 0);

  async function submit(e: FormEvent) {
    e.preventDefault();
    const found: Record<string, string> = {};
    if (mode === 'import' && !file) found.keyFile = 'Select the key file';
    if (passphrase.length < MIN_PASSPHRASE)
      found.newPassphrase = `Passphrase must be ${MIN_PASSPHRASE} characters or more`;
    else if (confirm !== passphrase) found.confirmPassphrase = 'The passphrases do not match';
    setErrors(found);
    if (Object.keys(found).length > 0) return;
    setBusy(true);
    const orgName = user.organisationName ?? user.organisationId ?? 'Organisation';
    const running = runInWorker(
      mode === 'import'
        ? {
            op: 'protect',
            armored: await file!.text(),
            currentPassphrase: filePassphrase,
            newPassphrase: passphrase,
          }
        : {
            op: 'generate',
            name: team.trim() ? `${orgName} – ${team.trim()}` : orgName,
            email: `keys@${user.organisationId ?? 'organisation'}.accord.invalid`,
            passphrase,
          },
    );
    const outcome = await running.result;
    setBusy(false);
    if (outcome.kind === 'key') {
      await saveKey({
        ...outcome.key,
        organisationId: user.organisationId ?? '',
        team: team.trim() || null,
        addedAt: new Date().toISOString(),
        source: mode === 'import' ? 'imported' : 'generated',
      });
      setPassphrase('');
      setConfirm('');
      setFilePassphrase('');
      navigate('/keys');
      return;
    }
    if (outcome.kind === 'refused')
      setErrors(
        outcome.code === 'key.bad-passphrase' || outcome.code === 'key.locked'
          ? { filePassphrase: 'The passphrase of the file is not right' }
          : { keyFile: refusalText(outcome.code) },
      );
    else setErrors({ keyFile: outcome.kind === 'failed' ? outcome.message : 'The key could not be added' });
  }

  const field = (
    id: string,
    label: string,
    value: string,
    set: (v: string) => void,
    hint?: string,
    type = 'password',
  ) => (
    <LabelledField id={id} label={label} hint={hint} error={errors[id]} labelClassName="govuk-label">
      <input
        className={`govuk-input govuk-!-width-one-half${errors[id] ? ' govuk-input--error' : ''}`}
        id={id}
        type={type}
        autoComplete={type === 'password' ? 'new-password' : 'off'}
        aria-describedby={describedBy(id, hint, errors[id])}
        value={value}
        onChange={(e) => set(e.target.value)}
      />
    </LabelledField>
  );

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={Object.entries(errors).map(([id, text]) => ({ href: `#${id}`, text }))} />
        <h1 className="govuk-heading-l">{title}</h1>
        <form onSubmit={(e) => void submit(e)} noValidate>
          {mode === 'import' ? (
            <>
              <LabelledField
                id="keyFile"
                label="Key file"
                hint="An armored private key, from gpg --export-secret-keys --armor or accord keys export."
                error={errors.keyFile}
                labelClassName="govuk-label"
              >
                <input
                  className="govuk-file-upload"
                  id="keyFile"
                  type="file"
                  accept=".asc,.key,.txt,.gpg"
                  aria-describedby={`keyFile-hint${errors.keyFile ? ' keyFile-error' : ''}`}
                  onChange={(e) => setFile(e.target.files?.[0] ?? null)}
                />
              </LabelledField>
              {field(
                'filePassphrase',
                'Passphrase of the file',
                filePassphrase,
                setFilePassphrase,
                'Leave empty if the exported key has none.',
              )}
            </>
          ) : (
            field(
              'team',
              'Team (optional)',
              team,
              setTeam,
              'If this key is for one team, its name. Leave empty for the whole organisation.',
              'text',
            )
          )}
          {field(
            'newPassphrase',
            'Passphrase to protect it in this browser',
            passphrase,
            setPassphrase,
            `${MIN_PASSPHRASE} characters or more. It is never sent to Accord.`,
          )}
          {field('confirmPassphrase', 'Confirm the passphrase', confirm, setConfirm)}
          <button type="submit" className="govuk-button" disabled={busy}>
            {mode === 'import' ? 'Import key' : 'Generate key'}
          </button>
          {busy && (
            <p className="govuk-body" role="status">
              Protecting the key. This takes a few seconds.
            </p>
          )}
        </form>
      </div>
    </div>
  );
}

import { FieldErrorMessage } from './error-summary';
import { PASSPHRASE_MINUTES } from '../keys/passphrase-cache';

/** The passphrase of the key kept in this browser, with the stated time it is kept for. */
export function PassphraseField({
  value,
  onChange,
  error,
}: {
  value: string;
  onChange(v: string): void;
  error: string | undefined;
}) {
  return (
    <div className={`govuk-form-group${error ? ' govuk-form-group--error' : ''}`}>
      <label className="govuk-label" htmlFor="passphrase">
        Passphrase for your key
      </label>
      <div id="passphrase-hint" className="govuk-hint">
        The passphrase you chose when you added the key to this browser. It is kept in this tab for{' '}
        {PASSPHRASE_MINUTES} minutes after you last use it, and never stored.
      </div>
      <FieldErrorMessage id="passphrase" text={error} />
      <input
        className={`govuk-input govuk-!-width-one-half${error ? ' govuk-input--error' : ''}`}
        id="passphrase"
        name="passphrase"
        type="password"
        autoComplete="off"
        aria-describedby={`passphrase-hint${error ? ' passphrase-error' : ''}`}
        value={value}
        onChange={(e) => onChange(e.target.value)}
      />
    </div>
  );
}

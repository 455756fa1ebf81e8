import { PASSPHRASE_MINUTES } from '../keys/passphrase-cache';
import { LabelledField } from './labelled-field';

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
    <LabelledField
      id="passphrase"
      label="Passphrase for your key"
      hint={
        <>
          The passphrase you chose when you added the key to this browser. It is kept in this tab for{' '}
          {PASSPHRASE_MINUTES} minutes after you last use it, and never stored.
        </>
      }
      error={error}
      labelClassName="govuk-label"
    >
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
    </LabelledField>
  );
}

import { useState, type FormEvent } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import { ApiError } from '../api';
import { ErrorSummary } from '../components/error-summary';
import { usePageTitle } from '../components/page-title';
import { useSession } from '../session';
import { LabelledField } from '../components/labelled-field';

/**
 * The api's words for these refusals are for API clients (a route to call, a header to read); a person at the
 * sign-in page is told what to do instead.
 */
const SIGN_IN_REFUSALS: Record<string, string> = {
  'auth.enrolment-token':
    'This is the enrolment token the platform administrator gave you, which cannot sign in. Exchange it for ' +
    'your own first: ACCORD_TOKEN=<this token> accord me exchange-token prints your token (and this one ' +
    'stops working). Then sign in with that.',
  'auth.throttled': 'Too many sign-ins failed from here. Wait a few minutes, then try again.',
  'user.suspended': "Your account is suspended. Ask your organisation's information governance lead.",
};

/** Sign in with an API token (today's tokens); the api answers with a session cookie the browser keeps. */
export function SignInPage() {
  const { signIn } = useSession();
  const navigate = useNavigate();
  const location = useLocation();
  const [token, setToken] = useState('');
  const [error, setError] = useState<string | undefined>();
  const [busy, setBusy] = useState(false);
  usePageTitle('Sign in', error !== undefined);

  async function submit(e: FormEvent) {
    e.preventDefault();
    if (token.trim() === '') {
      setError('Enter your API token');
      return;
    }
    setBusy(true);
    try {
      await signIn(token.trim());
      const from = (location.state as { from?: string } | null)?.from;
      navigate(from && from !== '/sign-in' ? from : '/inbox', { replace: true });
    } catch (err) {
      setError(
        err instanceof ApiError && (err.status === 401 || err.status === 400)
          ? 'The API token is not right, has expired or was revoked'
          : err instanceof ApiError
            ? (SIGN_IN_REFUSALS[err.code] ?? (err.detail || err.title))
            : 'Could not reach Accord. Try again',
      );
    } finally {
      setBusy(false);
    }
  }

  return (
    <div className="govuk-grid-row">
      <div className="govuk-grid-column-two-thirds">
        <ErrorSummary errors={error ? [{ href: '#token', text: error }] : []} />
        <h1 className="govuk-heading-l">Sign in to Accord</h1>
        {/* submit() turns every failure into the error summary, so its promise has nothing left to reject. */}
        <form onSubmit={(e) => void submit(e)} noValidate>
          <LabelledField
            id="token"
            label="API token"
            hint="Your organisation's administrator gives you this. It starts with acc_."
            error={error}
            labelClassName="govuk-label"
          >
            <input
              className={`govuk-input${error ? ' govuk-input--error' : ''}`}
              id="token"
              name="token"
              type="password"
              autoComplete="off"
              spellCheck={false}
              aria-describedby={`token-hint${error ? ' token-error' : ''}`}
              value={token}
              onChange={(e) => setToken(e.target.value)}
            />
          </LabelledField>
          <button type="submit" className="govuk-button" data-module="govuk-button" disabled={busy}>
            Sign in
          </button>
        </form>
      </div>
    </div>
  );
}

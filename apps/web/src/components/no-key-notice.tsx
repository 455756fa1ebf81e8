import { Link } from 'react-router-dom';

/** Where a page needs the organisation's private key and this browser holds none: the way to add one. */
export function NoKeyNotice() {
  return (
    <div className="govuk-inset-text">
      There is no key of your organisation in this browser.{' '}
      <Link className="govuk-link" to="/keys">
        Add a key
      </Link>{' '}
      first.
    </div>
  );
}

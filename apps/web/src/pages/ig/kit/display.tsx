import type { ReactNode } from 'react';
import { Link, useLocation } from 'react-router-dom';
import type { ApiError } from '../../../api';
import type { Loaded as ApiLoad } from '../../../use-api';
import { UserText } from '../../../components/user-text';

/** A value given as a string is text someone typed (a description, a purpose, a reason): see UserText. */
const shown = (value: ReactNode): ReactNode =>
  typeof value === 'string' ? <UserText text={value} /> : value;

/** Summary lists, tags, dates and loading states: the read-only GOV.UK patterns the IG pages share. */

export type SummaryRow = readonly [key: ReactNode, value: ReactNode, action?: ReactNode];

export function SummaryList({ rows }: { rows: readonly SummaryRow[] }) {
  return (
    <dl className="govuk-summary-list">
      {rows.map(([key, value, action], i) => (
        <div
          key={i}
          className={`govuk-summary-list__row${action ? '' : ' govuk-summary-list__row--no-actions'}`}
        >
          <dt className="govuk-summary-list__key">{key}</dt>
          <dd className="govuk-summary-list__value">{shown(value)}</dd>
          {action ? <dd className="govuk-summary-list__actions">{action}</dd> : null}
        </div>
      ))}
    </dl>
  );
}

export type TagColour =
  'grey' | 'green' | 'turquoise' | 'blue' | 'light-blue' | 'purple' | 'pink' | 'red' | 'orange' | 'yellow';

export function Tag({ children, colour }: { children: ReactNode; colour?: TagColour }) {
  return <strong className={`govuk-tag${colour ? ` govuk-tag--${colour}` : ''}`}>{children}</strong>;
}

const LONDON = 'Europe/London';

/** "6 December 2026": UK dates in words, as GOV.UK writes them. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return 'Not set';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  return d.toLocaleDateString('en-GB', { day: 'numeric', month: 'long', year: 'numeric', timeZone: LONDON });
}

/** "6 December 2026 at 2:05pm" (UK time). */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return 'Not set';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  // hourCycle h12, not hour12: for en-GB, hour12 means ICU's h11 cycle, which writes 0:05am for 12:05am.
  const time = d
    .toLocaleTimeString('en-GB', { hour: 'numeric', minute: '2-digit', hourCycle: 'h12', timeZone: LONDON })
    .replace(' ', '')
    .toLowerCase();
  return `${formatDate(iso)} at ${time}`;
}

/** "2 days 5 hours", "40 minutes": a duration in words, for the ICO clock. */
export function durationInWords(seconds: number): string {
  const s = Math.abs(seconds);
  const days = Math.floor(s / 86_400);
  const hours = Math.floor((s % 86_400) / 3600);
  const minutes = Math.floor((s % 3600) / 60);
  const part = (n: number, unit: string) => (n === 0 ? '' : `${n} ${unit}${n === 1 ? '' : 's'}`);
  const text =
    days > 0 ? [part(days, 'day'), part(hours, 'hour')] : [part(hours, 'hour'), part(minutes, 'minute')];
  return text.filter(Boolean).join(' ') || 'less than a minute';
}

export function BackLink({ to, children = 'Back' }: { to: string; children?: ReactNode }) {
  return (
    <Link to={to} className="govuk-back-link">
      {children}
    </Link>
  );
}

/**
 * Why a page's data did not come, in words. On a page whose heading comes with its data (`page`), the
 * failure takes the GOV.UK error page's heading, so the page still has its one h1.
 */
export function LoadFailure({ error, page }: { error: ApiError; page?: boolean }) {
  const [heading, text] =
    error.status === 404
      ? ['Page not found', 'It may have been removed, or you may not be allowed to see it.']
      : error.status === 403
        ? ['You cannot see this page', 'Your role does not allow it.']
        : ['Sorry, there is a problem with the service', error.detail || error.title];
  return (
    <>
      {page ? <h1 className="govuk-heading-l">{heading}</h1> : <h2 className="govuk-heading-m">{heading}</h2>}
      <p className="govuk-body">{text}</p>
    </>
  );
}

/** Renders the page once its data has arrived; the load's failure in words otherwise. */
export function Loaded<T>({
  resource,
  page,
  children,
}: {
  resource: ApiLoad<T>;
  /** The data carries the page's heading: a failure then shows an h1 of its own. */
  page?: boolean;
  children(data: T): ReactNode;
}) {
  if (resource.error) return <LoadFailure error={resource.error} page={page} />;
  if (resource.data === undefined)
    return (
      <p className="govuk-body" role="status">
        Loading…
      </p>
    );
  return <>{children(resource.data)}</>;
}

/** The green banner after a change, announced by screen readers (GOV.UK notification banner, success). */
export function SuccessBanner({ title, children }: { title: string; children?: ReactNode }) {
  return (
    <div
      className="govuk-notification-banner govuk-notification-banner--success"
      role="alert"
      aria-labelledby="success-title"
    >
      <div className="govuk-notification-banner__header">
        <h2 className="govuk-notification-banner__title" id="success-title">
          Success
        </h2>
      </div>
      <div className="govuk-notification-banner__content">
        <p className="govuk-notification-banner__heading">{title}</p>
        {children}
      </div>
    </div>
  );
}

export function List({ items, empty = 'None' }: { items: readonly ReactNode[]; empty?: string }) {
  if (items.length === 0) return <>{empty}</>;
  if (items.length === 1) return <>{shown(items[0])}</>;
  return (
    <ul className="govuk-list govuk-list--bullet">
      {items.map((item, i) => (
        <li key={i}>{shown(item)}</li>
      ))}
    </ul>
  );
}

/** The message a form leaves for the page it goes to (navigate(..., { state: { flash } })). */
export function Flash() {
  const state = useLocation().state as { flash?: unknown } | null;
  return typeof state?.flash === 'string' ? <SuccessBanner title={state.flash} /> : null;
}

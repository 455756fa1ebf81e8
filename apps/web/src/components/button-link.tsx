import type { ReactNode } from 'react';
import { Link } from 'react-router-dom';

/**
 * A link styled as a GOV.UK button (a start or "add" action that goes to another page). role="button" and
 * no dragging, as the GOV.UK button component asks of a link used this way.
 */
export function ButtonLink({
  to,
  secondary,
  children,
}: {
  to: string;
  secondary?: boolean;
  children: ReactNode;
}) {
  return (
    <Link
      to={to}
      className={`govuk-button${secondary ? ' govuk-button--secondary' : ''}`}
      role="button"
      draggable={false}
    >
      {children}
    </Link>
  );
}

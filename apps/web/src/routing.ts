import type { ReactElement } from 'react';
import type { Role } from './session';

/**
 * A page the app routes to. Paths are relative to /app (no leading slash), as react-router nests them under
 * the signed-in layout. `roles` limits who sees it; absent means every signed-in user.
 */
export interface AppRoute {
  path: string;
  element: ReactElement;
  roles?: readonly Role[];
}

/** A link in the service navigation of the header. `href` is inside the app, e.g. `/agreements`. */
export interface NavItem {
  href: string;
  text: string;
  roles?: readonly Role[];
}

export const allowed = (roles: readonly Role[] | undefined, role: Role): boolean =>
  roles === undefined || roles.includes(role);

import type { AppRoute, NavItem } from '../../routing';

/**
 * The IG lead's pages (agreements, teams, keys, breaches, subject requests, incidents, webhooks). The app
 * mounts every route here under the signed-in layout and shows every nav item whose roles match the user.
 */
export const igRoutes: AppRoute[] = [];

export const igNavItems: NavItem[] = [];

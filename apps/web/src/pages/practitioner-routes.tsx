import type { AppRoute, NavItem } from '../routing';
import { InboxPage } from './inbox';

/** The practitioner's pages: inbox, documents, share, keys. */
export const practitionerRoutes: AppRoute[] = [{ path: 'inbox', element: <InboxPage /> }];

export const practitionerNavItems: NavItem[] = [{ href: '/inbox', text: 'Inbox' }];

import type { AppRoute, NavItem } from '../routing';
import { DocumentPage } from './document';
import { InboxPage } from './inbox';
import { KeysPage } from './keys';
import { AddKeyPage } from './keys-add';
import { SharePage } from './share';
import { ShareSentPage } from './share-sent';

const SHARERS = ['practitioner', 'ig-lead'] as const;

/** The practitioner's pages (IG leads use them too): inbox, documents, share, keys. */
export const practitionerRoutes: AppRoute[] = [
  { path: 'inbox', element: <InboxPage />, roles: SHARERS },
  { path: 'documents/:id', element: <DocumentPage /> },
  { path: 'share', element: <SharePage />, roles: SHARERS },
  { path: 'share/sent/:id', element: <ShareSentPage />, roles: SHARERS },
  { path: 'keys', element: <KeysPage />, roles: SHARERS },
  { path: 'keys/import', element: <AddKeyPage mode="import" />, roles: SHARERS },
  { path: 'keys/generate', element: <AddKeyPage mode="generate" />, roles: SHARERS },
];

export const practitionerNavItems: NavItem[] = [
  { href: '/inbox', text: 'Inbox', roles: SHARERS },
  { href: '/share', text: 'Share', roles: SHARERS },
  { href: '/keys', text: 'Keys', roles: SHARERS },
];

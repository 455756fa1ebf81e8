import type { AppRoute, NavItem } from '../../routing';
import {
  ReviewAgreementPage,
  SignAgreementPage,
  TerminateAgreementPage,
  WithdrawFromAgreementPage,
} from './agreements/agreement-actions';
import { AgreementListPage } from './agreements/agreement-list';
import { AgreementPage } from './agreements/agreement-page';
import { AmendAgreementPage } from './agreements/amend-agreement';
import { DraftAgreementPage } from './agreements/draft-agreement';
import {
  AssessBreachPage,
  CloseBreachPage,
  NotifyIcoPage,
  NotifySubjectsPage,
} from './breaches/breach-actions';
import { BreachListPage } from './breaches/breach-list';
import { BreachPage } from './breaches/breach-page';
import { ReportBreachPage } from './breaches/report-breach';
import {
  DismissIncidentPage,
  IncidentListPage,
  IncidentPage,
  PromoteIncidentPage,
} from './incidents/incident-pages';
import { OrganisationKeysPage, RetireKeyPage } from './organisation/keys-page';
import { TeamPage, TeamsPage } from './organisation/team-pages';
import { WebhookPage } from './organisation/webhook-page';
import { AccessReportPage } from './subject-requests/access-report';
import { SubjectRequestsPage } from './subject-requests/start-subject-request';
import { SubjectRequestPage } from './subject-requests/subject-request-page';

/**
 * The IG lead's pages (agreements, teams, keys, breaches, subject requests, incidents, webhooks). The app
 * mounts every route here under the signed-in layout and shows every nav item whose roles match the user.
 * docs/architecture.md §36.
 */
const IG = ['ig-lead'] as const;

const page = (path: string, element: AppRoute['element']): AppRoute => ({ path, element, roles: IG });

export const igRoutes: AppRoute[] = [
  page('agreements', <AgreementListPage />),
  page('agreements/new', <DraftAgreementPage />),
  page('agreements/:id', <AgreementPage />),
  page('agreements/:id/sign', <SignAgreementPage />),
  page('agreements/:id/amend', <AmendAgreementPage />),
  page('agreements/:id/review', <ReviewAgreementPage />),
  page('agreements/:id/withdraw', <WithdrawFromAgreementPage />),
  page('agreements/:id/terminate', <TerminateAgreementPage />),
  page('teams', <TeamsPage />),
  page('teams/:teamId', <TeamPage />),
  page('organisation-keys', <OrganisationKeysPage />),
  page('organisation-keys/:fpr/retire', <RetireKeyPage />),
  page('breaches', <BreachListPage />),
  page('breaches/new', <ReportBreachPage />),
  page('breaches/:id', <BreachPage />),
  page('breaches/:id/assess', <AssessBreachPage />),
  page('breaches/:id/notify-ico', <NotifyIcoPage />),
  page('breaches/:id/notify-subjects', <NotifySubjectsPage />),
  page('breaches/:id/close', <CloseBreachPage />),
  page('subject-requests', <SubjectRequestsPage />),
  page('subject-requests/:id', <SubjectRequestPage />),
  page('subject-requests/:id/report', <AccessReportPage />),
  page('incidents', <IncidentListPage />),
  page('incidents/:id', <IncidentPage />),
  page('incidents/:id/promote', <PromoteIncidentPage />),
  page('incidents/:id/dismiss', <DismissIncidentPage />),
  page('webhook', <WebhookPage />),
];

export const igNavItems: NavItem[] = [
  { href: '/agreements', text: 'Agreements', roles: IG },
  { href: '/teams', text: 'Teams', roles: IG },
  { href: '/organisation-keys', text: 'Organisation keys', roles: IG },
  { href: '/breaches', text: 'Breaches', roles: IG },
  { href: '/subject-requests', text: 'Subject requests', roles: IG },
  { href: '/incidents', text: 'Incidents', roles: IG },
  { href: '/webhook', text: 'Webhook', roles: IG },
];

import { createBrowserRouter, Navigate, Outlet, RouterProvider, useLocation } from 'react-router-dom';
import { Loading, ProblemPanel } from './components/problem';
import { Layout } from './layout';
import { AccessAgreementPage } from './pages/access-agreement';
import { igNavItems, igRoutes } from './pages/ig';
import { NotFoundPage } from './pages/not-found';
import { practitionerNavItems, practitionerRoutes } from './pages/practitioner-routes';
import { SignInPage } from './pages/sign-in';
import { allowed, type AppRoute, type NavItem } from './routing';
import { useSession } from './session';
import type { Me } from './types';
import { useApi } from './use-api';

/** Every page of the app: the practitioner's and the IG lead's (pages/ig registers its own). */
const routes: readonly AppRoute[] = [...practitionerRoutes, ...igRoutes];
const nav: readonly NavItem[] = [...practitionerNavItems, ...igNavItems];

function RequireSession() {
  const { session } = useSession();
  const location = useLocation();
  if (session === undefined) return <Loading />;
  if (session === null) return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  return <RequireAccessAgreement key={session.user.id} />;
}

/** Every document and audit route needs the access agreement accepted; ask once, here, not on each page. */
function RequireAccessAgreement() {
  const me = useApi<Me>('/me');
  if (me.error) return <ProblemPanel error={me.error} />;
  if (!me.data) return <Loading />;
  if (!me.data.accessAgreement.accepted) return <AccessAgreementPage me={me.data} onAccepted={me.reload} />;
  return <Outlet />;
}

/** /app/ goes to the first page the user's role may see (the inbox for those who share). */
function HomeRedirect() {
  const { session } = useSession();
  const first = session ? nav.find((n) => allowed(n.roles, session.user.role)) : undefined;
  return first ? <Navigate to={first.href} replace /> : <NotFoundPage />;
}

function RoleGate({ route }: { route: AppRoute }) {
  const { session } = useSession();
  if (!session || !allowed(route.roles, session.user.role)) return <NotFoundPage />;
  return route.element;
}

const router = createBrowserRouter(
  [
    {
      element: <Layout nav={nav} />,
      children: [
        { path: 'sign-in', element: <SignInPage /> },
        {
          element: <RequireSession />,
          children: [
            { index: true, element: <HomeRedirect /> },
            ...routes.map((r) => ({ path: r.path, element: <RoleGate route={r} /> })),
          ],
        },
        { path: '*', element: <NotFoundPage /> },
      ],
    },
  ],
  { basename: '/app' },
);

export function App() {
  return <RouterProvider router={router} />;
}

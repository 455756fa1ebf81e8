import { createBrowserRouter, Navigate, Outlet, RouterProvider, useLocation } from 'react-router-dom';
import { Layout } from './layout';
import { igNavItems, igRoutes } from './pages/ig';
import { NotFoundPage } from './pages/not-found';
import { practitionerNavItems, practitionerRoutes } from './pages/practitioner-routes';
import { SignInPage } from './pages/sign-in';
import { allowed, type AppRoute, type NavItem } from './routing';
import { useSession } from './session';

/** Every page of the app: the practitioner's and the IG lead's (pages/ig registers its own). */
const routes: readonly AppRoute[] = [...practitionerRoutes, ...igRoutes];
const nav: readonly NavItem[] = [...practitionerNavItems, ...igNavItems];

function RequireSession() {
  const { session } = useSession();
  const location = useLocation();
  if (session === undefined) return <p className="govuk-body">Loading…</p>;
  if (session === null) return <Navigate to="/sign-in" replace state={{ from: location.pathname }} />;
  return <Outlet />;
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
            { index: true, element: <Navigate to="/inbox" replace /> },
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

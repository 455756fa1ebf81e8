import { Link, NavLink, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { allowed, type NavItem } from './routing';
import { useSession } from './session';

/** The GOV.UK template around every page: skip link, header with service navigation, main, footer. */
export function Layout({ nav }: { nav: readonly NavItem[] }) {
  const { session, signOut } = useSession();
  const navigate = useNavigate();
  const { pathname } = useLocation();
  const items = session ? nav.filter((n) => allowed(n.roles, session.user.role)) : [];
  return (
    <>
      <a href="#main-content" className="govuk-skip-link">
        Skip to main content
      </a>
      <header className="govuk-header" data-module="govuk-header">
        <div className="govuk-header__container govuk-width-container">
          <div className="govuk-header__content">
            <Link to="/" className="govuk-header__link govuk-header__service-name">
              Accord
            </Link>
          </div>
          {session && (
            <p className="govuk-body-s accord-signed-in">
              Signed in as {session.user.name}
              {session.user.organisationName ? `, ${session.user.organisationName}` : ''}
            </p>
          )}
        </div>
      </header>
      {session && (
        <section aria-label="Service menu" className="govuk-service-navigation">
          <div className="govuk-width-container">
            <div className="govuk-service-navigation__container">
              <nav aria-label="Menu" className="govuk-service-navigation__wrapper">
                <ul className="govuk-service-navigation__list" id="navigation">
                  {items.map((n) => (
                    <li key={n.href} className="govuk-service-navigation__item">
                      <NavLink to={n.href} className="govuk-service-navigation__link">
                        {n.text}
                      </NavLink>
                    </li>
                  ))}
                  <li className="govuk-service-navigation__item">
                    <button
                      type="button"
                      className="govuk-service-navigation__link accord-link-button"
                      onClick={() => void signOut().then(() => navigate('/sign-in'))}
                    >
                      Sign out
                    </button>
                  </li>
                </ul>
              </nav>
            </div>
          </div>
        </section>
      )}
      <div className="govuk-width-container">
        {/* data-path: the route the content shows, so a browser test waits for the DOM to show the page the
            address names before it reads it (a client-side navigation changes the address first). */}
        <main className="govuk-main-wrapper" id="main-content" role="main" tabIndex={-1} data-path={pathname}>
          <Outlet />
        </main>
      </div>
      <footer className="govuk-footer">
        <div className="govuk-width-container">
          <div className="govuk-footer__meta">
            <div className="govuk-footer__meta-item govuk-footer__meta-item--grow">
              <h2 className="govuk-visually-hidden">Support links</h2>
              <p className="govuk-body-s">
                Accord: case documents shared under Information Sharing Agreements, encrypted in your browser.
              </p>
              <span className="govuk-footer__licence-description">
                Built with the GOV.UK Design System. Licensed under Apache-2.0.
              </span>
            </div>
          </div>
        </div>
      </footer>
    </>
  );
}

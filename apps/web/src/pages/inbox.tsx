import { usePageTitle } from '../components/page-title';

export function InboxPage() {
  usePageTitle('Inbox');
  return <h1 className="govuk-heading-l">Inbox</h1>;
}

import { useEffect } from 'react';

/** Each page sets the tab's title (WCAG 2.4.2), GOV.UK style: "Page – Accord", with "Error: " while invalid. */
export function usePageTitle(title: string, hasErrors = false): void {
  useEffect(() => {
    document.title = `${hasErrors ? 'Error: ' : ''}${title} – Accord`;
  }, [title, hasErrors]);
}

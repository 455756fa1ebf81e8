import { showBidiControls } from '@accord/domain';

/**
 * Every value a server-rendered page shows is escaped with this: titles, purposes and search terms come from
 * users, so a bidi override in them is shown as its code point rather than left to reorder the page.
 */
export function escapeHtml(value: unknown): string {
  return showBidiControls(String(value))
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

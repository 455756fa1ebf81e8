import type { Page } from 'playwright-core';

/** What the focused element must be: its id, or its accessible text (a label's, or a link's or button's). */
export interface FocusTarget {
  id?: string;
  text?: string;
}

/**
 * Presses Tab until `target` has the focus, as a keyboard user moves through a page; fails if it never
 * does within `max` presses (so an element out of the tab order, or a focus trap, fails the test).
 */
export async function tabTo(page: Page, target: FocusTarget, max = 250): Promise<void> {
  for (let i = 0; i < max; i++) {
    await page.keyboard.press('Tab');
    // A string, evaluated in the page: the test's tsconfig has no DOM types.
    const focused = (await page.evaluate(`(() => {
      const el = document.activeElement;
      if (!el) return { id: '', text: '' };
      const labelled = (el.labels && el.labels[0] && el.labels[0].textContent) || '';
      return { id: el.id, text: (labelled || el.textContent || '').trim() };
    })()`)) as { id: string; text: string };
    if (target.id !== undefined && focused.id === target.id) return;
    if (target.text !== undefined && focused.text === target.text) return;
  }
  throw new Error(`Tab never reached ${JSON.stringify(target)}`);
}

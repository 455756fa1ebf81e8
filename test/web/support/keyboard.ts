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

/**
 * Tabs to the file input `id`, presses Space as a keyboard user does, and gives the chooser `file`. On a
 * loaded machine the page can still be settling when the input is first reached (the key store answers
 * after the form is drawn), and a Space that lands while focus is elsewhere opens nothing: so the focus is
 * checked right before the key, and the key is pressed again if no chooser came. A page whose input never
 * opens a chooser from the keyboard still fails, after three tries.
 */
export async function chooseFileWithKeyboard(page: Page, id: string, file: string): Promise<void> {
  for (let attempt = 0; attempt < 3; attempt++) {
    const focused = (await page.evaluate('document.activeElement && document.activeElement.id')) as string;
    if (focused !== id) await tabTo(page, { id });
    const chooser = page.waitForEvent('filechooser', { timeout: 10_000 }).catch(() => undefined);
    await page.keyboard.press('Space');
    const opened = await chooser;
    if (opened) return opened.setFiles(file);
  }
  throw new Error(`Space on #${id} never opened a file chooser`);
}

import { showBidiControls } from '../../../../libs/domain/src/shared/text';

/**
 * Text a user typed (a document's or an agreement's title), as the page shows it: a bidi override or
 * embedding in it is shown as its code point ("Invoice[U+202E]fdp.exe") rather than obeyed, so it cannot
 * make the text read as something else; and `<bdi>` keeps a right-to-left title from reordering the text
 * around it. The same rule as the api's pages (libs/domain `showBidiControls`).
 */
export function UserText({ text }: { text: string }) {
  return <bdi>{showBidiControls(text)}</bdi>;
}

/** For places that take a string, not an element: the tab's title, an option's label. */
export const shownText = showBidiControls;

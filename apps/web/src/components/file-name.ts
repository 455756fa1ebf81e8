/**
 * A title as a safe file name: no path separators or control characters (each becomes a hyphen), and no
 * invisible format character (dropped). Titles are typed by the sender: a right-to-left override (U+202E) in
 * "Invoice\u202Efdp.exe" reads "Invoiceexe.pdf" on screen, so an .exe would be saved and run as a PDF; a
 * zero-width or soft-hyphen character makes two names that look alike differ. The browser cleans a
 * download's name its own way, but the page also shows the name ("Saved as"), so it is cleaned here first.
 */
export function fileNameFor(title: string): string {
  const cleaned = title
    .replace(/\p{Cf}+/gu, '')
    .replace(/[\p{Cc}\p{Zl}\p{Zp}\\/:*?"<>|]+/gu, '-')
    .trim();
  return cleaned === '' ? 'document' : cleaned.slice(0, 200);
}

import { fileNameFor } from '../../apps/web/src/components/file-name';

/**
 * The name the web app offers for a saved document comes from its title, which the sender typed. A bidi
 * override (U+202E) in "Invoice\u202Efdp.exe" shows as "Invoiceexe.pdf": the user would save and run an
 * .exe they read as a PDF. Invisible format characters and path characters never reach the name.
 */
describe('the file name offered on download (fileNameFor)', () => {
  it.each([
    ['Invoice\u202Efdp.exe', 'Invoicefdp.exe'],
    ['\u2067Case note\u2069.pdf', 'Case note.pdf'],
    ['Strategy\u200B minutes\u200D.docx', 'Strategy minutes.docx'],
    ['soft\u00ADhyphen\uFEFF', 'softhyphen'],
    ['line\u2028break\u2029here', 'line-break-here'],
  ])('%j is offered as %j: no bidi, zero-width or other format character', (title, name) => {
    expect(fileNameFor(title)).toBe(name);
    expect(fileNameFor(title)).not.toMatch(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/u);
  });

  it('path separators and control characters become a hyphen; a title of nothing else is "document"', () => {
    expect(fileNameFor('../../etc/passwd')).toBe('..-..-etc-passwd');
    expect(fileNameFor('a\u0000b\nc')).toBe('a-b-c');
    expect(fileNameFor('\u202E\u200B')).toBe('document');
    expect(fileNameFor('Référé – 3 mai')).toBe('Référé – 3 mai');
  });
});

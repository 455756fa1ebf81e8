import { parseMessage } from './demo-mail-sink';

describe('the demo mailbox reads a message as a mail client shows it', () => {
  it('unfolds and decodes an RFC 2047 subject, and joins a quoted-printable body', () => {
    const raw = [
      'From: accord@demo.example',
      'Subject: =?UTF-8?Q?Accord:_a_document_was_shared_with_you_under_"Caf=C3=A9?=',
      ' =?UTF-8?Q?_agreement"?=',
      'Message-ID: <abc@demo.example>',
      'Content-Transfer-Encoding: quoted-printable',
      '',
      'A long line that nodemailer wrapped with a soft line bre=',
      'ak, an equals sign =3D and caf=C3=A9.',
      '',
    ].join('\r\n');
    expect(parseMessage(raw)).toEqual({
      subject: 'Accord: a document was shared with you under "Café agreement"',
      messageId: '<abc@demo.example>',
      body: 'A long line that nodemailer wrapped with a soft line break, an equals sign = and café.\n',
    });
  });

  it('decodes a base64 body and leaves a 7bit one as it is', () => {
    const body = Buffer.from('line one\nline two\n').toString('base64');
    expect(parseMessage(`Subject: plain\nContent-Transfer-Encoding: base64\n\n${body}\n`).body).toBe(
      'line one\nline two\n',
    );
    expect(parseMessage('Subject: plain\n\nas = is\n').body).toBe('as = is\n');
  });
});

import { parseConfig } from './parse-config';

/** Email is off unless SMTP_URL is set, and then needs MAIL_FROM (docs/architecture.md §27). */
describe('mail configuration', () => {
  it('is absent when SMTP_URL is unset', () => {
    expect(parseConfig({ DATA_DIR: '/tmp/x' }, '/tmp').mail).toBeUndefined();
  });

  it('takes the SMTP URL, the sender, the public URL and the retry settings', () => {
    const config = parseConfig(
      {
        DATA_DIR: '/tmp/x',
        SMTP_URL: 'smtps://user:pw@mail.example.org:465',
        MAIL_FROM: 'accord@example.org',
        ACCORD_PUBLIC_URL: 'https://accord.example.org/',
        ACCORD_EMAIL_MAX_ATTEMPTS: '3',
      },
      '/tmp',
    );
    expect(config.mail).toMatchObject({
      smtpUrl: 'smtps://user:pw@mail.example.org:465',
      from: 'accord@example.org',
      publicUrl: 'https://accord.example.org',
      maxAttempts: 3,
    });
  });

  it('refuses SMTP_URL without MAIL_FROM, a non-SMTP URL (naming only its scheme) and a bad sender', () => {
    expect(() => parseConfig({ DATA_DIR: '/tmp/x', SMTP_URL: 'smtp://mail.example.org' }, '/tmp')).toThrow(
      /MAIL_FROM must be set when SMTP_URL is set/,
    );
    const bad = () =>
      parseConfig(
        { DATA_DIR: '/tmp/x', SMTP_URL: 'https://user:secret@x.example', MAIL_FROM: 'nobody' },
        '/tmp',
      );
    expect(bad).toThrow(/SMTP_URL must be an smtp:\/\/ or smtps:\/\/ URL \(got scheme "https"\)/);
    expect(bad).toThrow(/MAIL_FROM must be an email address/);
    expect(bad).not.toThrow(/secret/);
  });
});

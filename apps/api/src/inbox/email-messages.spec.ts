import { EMAIL_KINDS } from '@accord/domain';
import { emailContent } from './email-messages';

describe('email content', () => {
  const refs = { agreementId: 'a1', documentId: 'd1', breachId: 'b1', dueAt: '2027-03-01T00:00:00.000Z' };

  it('names the agreement and links what it is about, for every kind, on one subject line', () => {
    for (const kind of EMAIL_KINDS) {
      const { subject, text } = emailContent(kind, refs, 'Staffordshire ISA', 'https://accord.example');
      expect(subject).toMatch(/^Accord: [^\r\n]+$/);
      expect(text).toMatch(/https:\/\/accord\.example\/(documents\/d1|agreements\/a1|breaches\/b1)/);
      expect(`${subject}\n${text}`).toContain('Staffordshire ISA');
    }
  });

  it('cannot be made to carry extra headers or an unbounded title', () => {
    const { subject } = emailContent(
      'document-received',
      refs,
      `ISA\r\nBcc: someone@example.org ${'x'.repeat(300)}`,
      'https://accord.example',
    );
    expect(subject).not.toMatch(/[\r\n]/);
    expect(subject.length).toBeLessThan(200);
  });
});

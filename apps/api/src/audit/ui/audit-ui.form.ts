import type { Request } from 'express';
import { UiRefused } from './audit-ui.guard';

/** Far more than a token and two hidden fields need; a larger body is refused before it is buffered. */
const FORM_LIMIT_BYTES = 16 * 1024;

/**
 * The fields of an application/x-www-form-urlencoded body. The app parses JSON only (configureHttpApp), so
 * the stream is still unread here; the few fields these forms post do not justify another body parser.
 */
export async function readForm(req: Request): Promise<URLSearchParams> {
  const type = String(req.headers['content-type'] ?? '')
    .split(';')[0]!
    .trim()
    .toLowerCase();
  if (type !== 'application/x-www-form-urlencoded') {
    throw new UiRefused(415, 'Unsupported form', 'Submit the form from the audit view page.');
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > FORM_LIMIT_BYTES) throw new UiRefused(413, 'Form too large', 'The form sent too much data.');
    chunks.push(chunk);
  }
  return new URLSearchParams(Buffer.concat(chunks).toString('utf8'));
}

import { closeSync, existsSync, fstatSync, fsyncSync, ftruncateSync, readSync, writeSync } from 'node:fs';
import { IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import type { ClientSettings } from '../cli-config';
import { CliError, exitCodeForStatus, noTokenError, unreachableError } from '../cli-error';
import { openUserFile } from '../cli-files';
import { problemLine } from '../http-client';
import { exportHeaderLine, parseExportHeader } from './audit-file-verifier';

export interface ExportOptions {
  out: string;
  /** Exclusive position to start after. */
  after?: number;
  /** Continue the file: start after its last complete line, dropping a half-written one. */
  resume?: boolean;
  limit?: number;
  progress?: (state: ExportProgress) => void;
}

export interface ExportProgress {
  events: number;
  /** Events the server had after `after` when the export began; unknown for one organisation's scope. */
  expected: number | undefined;
  elapsedMs: number;
}

export interface ExportResult {
  events: number;
  after: number;
  lastPosition: number;
  head: number;
  scope: string;
}

/**
 * `accord audit export`: streams GET /audit/events into a file as it arrives (memory stays flat), counting
 * lines for the progress bar, then fsyncs it: the file is evidence. Its first line states the export's
 * scope (ExportHeader), every other is an event. An interrupted export leaves whole lines plus perhaps half
 * of one; `--resume` cuts that half and continues after the last whole line.
 */
export async function exportAuditLog(
  settings: ClientSettings,
  options: ExportOptions,
): Promise<ExportResult> {
  let after = options.after ?? 0;
  const resuming = options.resume === true && existsSync(options.out);
  const fd = openUserFile(options.out, resuming ? 'r+' : 'w');
  try {
    if (resuming) after = Math.max(after, trimToLastLine(fd));
    const query = new URLSearchParams({ after: String(after) });
    if (options.limit) query.set('limit', String(options.limit));
    const res = await get(settings, `/audit/events?${query}`);
    const head = Number(res.headers['x-accord-log-head'] ?? 0);
    const scope = String(res.headers['x-accord-export-scope'] ?? 'platform');
    const expected =
      scope === 'platform' ? Math.max(0, Math.min(head - after, options.limit ?? Infinity)) : undefined;
    const started = Date.now();
    let offset = fstatSync(fd).size;
    // A new file starts with what the server said the export is, which the verifier holds the file to
    // (audit-file-verifier.ts ExportHeader); a resumed one has it already.
    if (offset === 0) {
      const stated = { scope, after, logHead: head, ...(options.limit ? { limit: options.limit } : {}) };
      const line = Buffer.from(exportHeaderLine(stated), 'utf8');
      offset += writeSync(fd, line, 0, line.length, 0);
    }
    let events = 0;
    let tail = '';
    try {
      for await (const chunk of res) {
        const buf = chunk as Buffer;
        offset += writeSync(fd, buf, 0, buf.length, offset);
        for (let i = buf.indexOf(10); i >= 0; i = buf.indexOf(10, i + 1)) events += 1;
        tail = lastLineOf(tail + buf.toString('utf8'));
        options.progress?.({ events, expected, elapsedMs: Date.now() - started });
      }
    } catch {
      throw new CliError(
        `the export was interrupted after ${events} events; run it again with --resume to continue`,
      );
    }
    fsyncSync(fd);
    const lastPosition = events > 0 ? positionOf(tail) : after;
    return { events, after, lastPosition, head, scope };
  } finally {
    closeSync(fd);
  }
}

async function get(settings: ClientSettings, path: string): Promise<IncomingMessage> {
  if (!settings.token) {
    throw noTokenError();
  }
  const url = new URL(settings.url + path);
  const send = url.protocol === 'https:' ? httpsRequest : httpRequest;
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const req = send(url, {
      headers: { authorization: `Bearer ${settings.token}`, accept: 'application/x-ndjson' },
    });
    req.once('response', resolve);
    req.once('error', () => reject(unreachableError(settings.url)));
    req.end();
  });
  if ((res.statusCode ?? 0) >= 400) {
    const chunks: Buffer[] = [];
    for await (const c of res) chunks.push(c as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // not JSON: shown as the status alone
    }
    throw new CliError(problemLine(res.statusCode ?? 0, body), exitCodeForStatus(res.statusCode ?? 0));
  }
  return res;
}

/** The last complete line of `text` (text ending at a newline), or what is kept to find it. */
function lastLineOf(text: string): string {
  const end = text.lastIndexOf('\n');
  if (end < 0) return text;
  const start = text.lastIndexOf('\n', end - 1);
  // Keep the last whole line and whatever follows it (the start of the next).
  return text.slice(start + 1);
}

function positionOf(tail: string): number {
  const end = tail.lastIndexOf('\n');
  const line = tail.slice(0, end).split('\n').pop() ?? '';
  try {
    return Number((JSON.parse(line) as { position?: unknown }).position) || 0;
  } catch {
    return 0;
  }
}

/** Cuts a half-written last line off the file and returns the position of the last whole one (0: none). */
function trimToLastLine(fd: number): number {
  const size = fstatSync(fd).size;
  const window = Math.min(size, 4 << 20);
  const buf = Buffer.alloc(window);
  readSync(fd, buf, 0, window, size - window);
  const end = buf.lastIndexOf(10);
  if (end < 0) {
    if (size > window) throw new CliError('cannot resume: the file does not end in a whole event line');
    ftruncateSync(fd, 0);
    return 0;
  }
  ftruncateSync(fd, size - window + end + 1);
  const start = buf.lastIndexOf(10, end - 1);
  const line = buf.subarray(start + 1, end).toString('utf8');
  // Nothing but the header was written: continue from where the export began.
  const header = parseExportHeader(line);
  if (header) return header.after;
  try {
    const position = (JSON.parse(line) as { position?: unknown }).position;
    if (typeof position === 'number') return position;
  } catch {
    // fall through
  }
  throw new CliError('cannot resume: the last line of the file is not an exported event');
}

/** `export  [#########---------------]  37%   370,000 / 1,000,000 events   52,000 events/s` */
export function formatExportProgress(p: ExportProgress): string {
  const rate = p.elapsedMs > 0 ? Math.round((p.events * 1000) / p.elapsedMs) : 0;
  const count = p.events.toLocaleString('en-GB');
  const tail = `${rate.toLocaleString('en-GB')} events/s`;
  if (p.expected === undefined || p.expected === 0) return `export  ${count} events   ${tail}`;
  const fraction = Math.min(1, p.events / p.expected);
  const filled = Math.floor(fraction * 24);
  const bar = `[${'#'.repeat(filled)}${'-'.repeat(24 - filled)}]`;
  const percent = `${Math.floor(fraction * 100)}%`.padStart(4);
  return `export  ${bar} ${percent}   ${count} / ${p.expected.toLocaleString('en-GB')} events   ${tail}`;
}

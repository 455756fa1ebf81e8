import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { Command, Option } from 'commander';
import { ClientFlags, ClientSettings, resolveClientSettings } from '../cli-config';
import { CliError, exitCodeForStatus, noTokenError, unreachableError, UsageError } from '../cli-error';
import { readUserFile, readUserJson } from '../cli-files';
import type { ProofFile } from './audit-witness';
import { JSON_OPTION, printJson } from '../output';
import { callApi, problemLine } from '../http-client';
import { logPositions } from '../log-position';

const settingsOf = (cmd: Command): ClientSettings =>
  resolveClientSettings(cmd.optsWithGlobals<ClientFlags>());
const out = (line: string): void => void process.stdout.write(`${line}\n`);
const KINDS = ['document', 'user', 'organisation', 'agreement', 'subject'] as const;
const PAGE = 1000;

interface Entry {
  position: number;
  occurredAt: string;
  type: string;
  documentId: string | null;
  agreementId: string | null;
  organisationId: string | null;
  userId: string | null;
  actor: { userId: string | null; orgId: string | null; role: string | null; system: string | null };
  orgId: string | null;
  details: Record<string, unknown>;
}

interface HistoryPage {
  asOf: { position: number; at: string | null };
  scope: string;
  items: Entry[];
  nextAfter: number | null;
}

/** `42  2025-03-03T09:00:00.000Z  DocumentAccessed  document 0198...  by police/practitioner u-1  client GB` */
export function entryLine(e: Entry): string {
  const subject = e.documentId
    ? `document ${e.documentId}`
    : e.agreementId
      ? `agreement ${e.agreementId}`
      : e.organisationId
        ? `organisation ${e.organisationId}`
        : `user ${e.userId ?? '-'}`;
  const who = e.actor.system
    ? `by ${e.actor.system}`
    : `by ${e.actor.orgId ?? '-'}/${e.actor.role ?? '-'} ${e.actor.userId ?? '-'}`;
  const d = e.details;
  const extra = [
    typeof d['reason'] === 'string' ? `reason ${d['reason']}` : '',
    typeof d['destination'] === 'string' ? `destination ${d['destination']}` : '',
    Array.isArray(d['recipients']) ? `to ${d['recipients'].join(',')}` : '',
    typeof (d['client'] as { country?: unknown } | undefined)?.country === 'string'
      ? `client ${(d['client'] as { country: string }).country}`
      : '',
  ].filter((x) => x !== '');
  return [String(e.position).padStart(8), e.occurredAt, e.type, subject, who, ...extra].join('  ');
}

function historyPath(kind: string, id: string | undefined, opts: HistoryOptions): string {
  const query = new URLSearchParams();
  if (opts.asOf) query.set('asOf', opts.asOf);
  if (kind === 'subject') {
    if (!opts.scheme || !opts.value) throw new UsageError('a subject history needs --scheme and --value');
    query.set('scheme', opts.scheme);
    query.set('value', opts.value);
    return `/audit/subjects/history?${query}`;
  }
  if (!id) throw new UsageError(`a ${kind} history needs the ${kind}'s id`);
  return `/audit/${kind}s/${encodeURIComponent(id)}/history${query.size > 0 ? `?${query}` : ''}`;
}

interface HistoryOptions {
  asOf?: string;
  scheme?: string;
  value?: string;
  csv?: boolean;
  json?: boolean;
}

/** Every page, in order; CSV pages are joined under one header line. */
async function history(settings: ClientSettings, path: string, opts: HistoryOptions): Promise<void> {
  const join = path.includes('?') ? '&' : '?';
  let after = 0;
  const all: Entry[] = [];
  for (let first = true; ; first = false) {
    const pagePath = `${path}${join}limit=${PAGE}&after=${after}`;
    if (opts.csv) {
      const res = await fetchText(settings, pagePath, 'text/csv');
      process.stdout.write(first ? res.text : res.text.slice(res.text.indexOf('\n') + 1));
      const next = res.headers.get('x-next-after');
      if (next === null) return;
      after = Number(next);
      continue;
    }
    const page = await callApi<HistoryPage>(settings, 'GET', pagePath);
    if (opts.json) all.push(...page.items);
    else {
      if (first)
        out(`# as of position ${page.asOf.position} (${page.asOf.at ?? 'start'}), ${page.scope} scope`);
      for (const e of page.items) out(entryLine(e));
    }
    if (page.nextAfter === null) break;
    after = page.nextAfter;
  }
  if (opts.json) out(JSON.stringify(all, null, 2));
}

async function fetchText(settings: ClientSettings, path: string, accept: string) {
  if (!settings.token) {
    throw noTokenError();
  }
  let res: Response;
  try {
    res = await fetch(settings.url + path, {
      headers: {
        authorization: `Bearer ${settings.token}`,
        accept,
        ...logPositions().headers(settings.url),
      },
    });
  } catch {
    throw unreachableError(settings.url);
  }
  const text = await res.text();
  if (!res.ok) {
    let body: unknown = text;
    try {
      body = JSON.parse(text);
    } catch {
      // shown as the status alone
    }
    throw new CliError(problemLine(res.status, body), exitCodeForStatus(res.status));
  }
  return { text, headers: res.headers };
}

/** `accord audit ...`: histories, the raw log, and its verification (online, or offline from an export). */
export function auditCommand(): Command {
  const audit = new Command('audit').description('audit trail: histories, export, verification');

  audit
    .command('history <kind> [id]')
    .description(
      `who shared, opened, was refused, and when: ${KINDS.join(', ')} (subject: --scheme, --value)`,
    )
    .option('--as-of <when>', 'as things stood then: a log position or an ISO-8601 time')
    .addOption(
      new Option('--scheme <scheme>', 'subject identifier scheme').choices(['nhs-number', 'local-ref']),
    )
    .option('--value <value>', 'subject identifier (only its HMAC reference is looked up)')
    .option('--csv', 'print CSV')
    .option('--json', 'print JSON')
    .action(async (kind: string, id: string | undefined, opts: HistoryOptions, cmd: Command) => {
      if (!(KINDS as readonly string[]).includes(kind))
        throw new UsageError(`kind is one of ${KINDS.join(', ')}`);
      await history(settingsOf(cmd), historyPath(kind, id, opts), opts);
    });

  audit
    .command('access <documentId>')
    .description(
      'who could open a document at a moment: recipients, agreement state and version, keys in force',
    )
    .option('--as-of <when>', 'a log position or an ISO-8601 time (default: now)')
    .option(...JSON_OPTION) // the answer is JSON either way
    .action(async (documentId: string, opts: { asOf?: string }, cmd: Command) => {
      const query = opts.asOf ? `?asOf=${encodeURIComponent(opts.asOf)}` : '';
      const path = `/audit/documents/${encodeURIComponent(documentId)}/access${query}`;
      out(JSON.stringify(await callApi(settingsOf(cmd), 'GET', path), null, 2));
    });

  audit
    .command('transfers')
    .description('every movement of a payload with its UK/non-UK verdict, and the summary')
    .option('--non-uk', 'only breaches of UK-only, blocked attempts included')
    .option('--as-of <when>', 'a log position or an ISO-8601 time')
    .option(...JSON_OPTION) // the answer is JSON either way
    .action(async (opts: { nonUk?: boolean; asOf?: string }, cmd: Command) => {
      const query = new URLSearchParams();
      if (opts.nonUk) query.set('nonUk', 'true');
      if (opts.asOf) query.set('asOf', opts.asOf);
      out(JSON.stringify(await callApi(settingsOf(cmd), 'GET', `/transfers?${query}`), null, 2));
    });

  audit
    .command('export')
    .description('write the raw event log (NDJSON) to a file, with a progress bar on stderr')
    .requiredOption('--out <file>', 'where to write it')
    .option('--after <position>', 'start after this log position', (v) => Number.parseInt(v, 10))
    .option('--resume', 'continue the file after its last whole line')
    .option('--limit <n>', 'at most this many events', (v) => Number.parseInt(v, 10))
    .option('--progress', 'draw progress even when stderr is not a terminal')
    .option(...JSON_OPTION)
    .action(
      async (
        opts: {
          out: string;
          after?: number;
          resume?: boolean;
          limit?: number;
          progress?: boolean;
          json?: boolean;
        },
        cmd,
      ) => {
        const { exportAuditLog, formatExportProgress } = await import('./audit-export');
        const draw = progressLine(opts.progress === true);
        const r = await exportAuditLog(settingsOf(cmd), {
          ...opts,
          progress: (p) => draw(formatExportProgress(p)),
        });
        draw(undefined);
        if (opts.json) return printJson({ file: opts.out, ...r });
        out(
          `${r.events} events written to ${opts.out} (after ${r.after}, last position ${r.lastPosition}, ${r.scope} scope)`,
        );
      },
    );

  audit
    .command('verify')
    .description(
      'recompute every hash chain and the Merkle tree: on the server, or offline in an exported file (no server ' +
        'needed); with --checkpoint, the log must be a consistent extension of that signed checkpoint',
    )
    .option('--file <file>', 'verify this export offline')
    .option('--complete', 'the file is the whole log from the start: a stream met half-way is a failure')
    .option('--checkpoint <file>', 'a checkpoint note saved by `accord audit checkpoint`')
    .option('--key <vkey>', 'the verifier key (text or file; default: the one pinned beside the checkpoint)')
    .option('--json', 'print JSON')
    .action(
      async (
        opts: { file?: string; complete?: boolean; checkpoint?: string; key?: string; json?: boolean },
        cmd: Command,
      ) => {
        if (opts.file) return verifyFile(opts.file, opts);
        const report = opts.checkpoint
          ? await callApi<Record<string, unknown> & { ok: boolean }>(
              settingsOf(cmd),
              'POST',
              '/audit/verify',
              {
                body: { checkpoint: readUserFile(opts.checkpoint) },
              },
            )
          : await callApi<Record<string, unknown> & { ok: boolean }>(settingsOf(cmd), 'GET', '/audit/verify');
        out(JSON.stringify(report, null, opts.json ? 2 : undefined));
        if (!report.ok)
          throw new CliError(
            'verification failed: see reason, log.problems, firstBadEvent and badObjects above',
          );
      },
    );

  audit
    .command('checkpoint')
    .description(
      "fetch the platform's signed checkpoint, prove it extends the one saved here before, and save it " +
        '(each partner machine that runs this witnesses the log)',
    )
    .option('--out <file>', 'also write the note here (and its verifier key to <file>.vkey)')
    .option('--dir <dir>', 'where checkpoints are kept (default ~/.config/accord/checkpoints)')
    .option(...JSON_OPTION)
    .action(async (opts: { out?: string; dir?: string; json?: boolean }, cmd: Command) => {
      const { witnessCheckpoint } = await import('./audit-witness');
      const r = await witnessCheckpoint(settingsOf(cmd), opts);
      if (opts.json) return printJson(r);
      out(
        `checkpoint of ${r.size} events (root ${r.root}) saved to ${r.saved.join(', ')}` +
          (r.consistentWith === null
            ? '; the first one kept here'
            : `; consistent with the one held at ${r.consistentWith}`),
      );
    });

  audit
    .command('prove <eventId>')
    .description(
      'write an inclusion proof of one event (event, leaf index, proof, checkpoint, key) to a file',
    )
    .requiredOption('--out <file>', 'where to write it')
    .option(...JSON_OPTION)
    .action(async (eventId: string, opts: { out: string; json?: boolean }, cmd: Command) => {
      const { proveEvent } = await import('./audit-witness');
      const p = await proveEvent(settingsOf(cmd), eventId, opts.out);
      if (opts.json)
        return printJson({ eventId, leafIndex: p.leafIndex, treeSize: p.treeSize, file: opts.out });
      out(
        `event ${eventId} is leaf ${p.leafIndex} of the signed tree of ${p.treeSize}: proof written to ${opts.out}`,
      );
    });

  audit
    .command('verify-proof <file>')
    .description(
      'check an inclusion proof file with no server: signature, event hash, leaf and path to the root',
    )
    .option(
      '--key <vkey>',
      "the verifier key to trust (text or file; default: the one pinned here, else the file's)",
    )
    .option(...JSON_OPTION)
    .action(async (file: string, opts: { key?: string; json?: boolean }) => {
      const { resolveKey, verifyProofFile, checkpointsDir } = await import('./audit-witness');
      const proof = readUserJson(file);
      if (typeof proof !== 'object' || proof === null || Array.isArray(proof))
        throw new CliError(`${file} is not a proof file (a JSON object written by \`accord audit prove\`)`);
      const pinned =
        opts.key || existsSync(join(checkpointsDir(), 'key.vkey'))
          ? resolveKey(undefined, opts.key)
          : undefined;
      // A note, not the result: on stderr, so --json keeps stdout one JSON document.
      if (!pinned) process.stderr.write('note: no key pinned here; trusting the key inside the file\n');
      const verdict = verifyProofFile(proof as ProofFile, pinned);
      if (!verdict.ok) throw new CliError(`the proof does not verify: ${verdict.reason}`);
      if (opts.json) return printJson(verdict);
      out(
        `ok: event ${verdict.eventId} is leaf ${verdict.leafIndex} of ${verdict.origin} at size ${verdict.treeSize}`,
      );
    });

  return audit;
}

async function verifyFile(
  file: string,
  opts: { complete?: boolean; json?: boolean; checkpoint?: string; key?: string },
): Promise<void> {
  const { BAD_REASON_WORDS, verifyExportFile } = await import('./audit-file-verifier');
  const { readCheckpoint, resolveKey } = await import('./audit-witness');
  const checkpoint = opts.checkpoint
    ? readCheckpoint(opts.checkpoint, resolveKey(opts.checkpoint, opts.key))
    : undefined;
  const draw = progressLine(false);
  const result = await verifyExportFile(file, {
    ...(checkpoint ? { checkpoint } : {}),
    complete: opts.complete === true,
    onProgress: (bytes, total) => draw(`verify  ${Math.floor((bytes / Math.max(total, 1)) * 100)}%`),
  });
  draw(undefined);
  if (opts.json) out(JSON.stringify(result, null, 2));
  else {
    out(
      `${result.eventsChecked} events in ${result.streams} streams checked, up to position ${result.lastPosition}`,
    );
    if (result.continuedStreams > 0) {
      out(
        `${result.continuedStreams} stream(s) start half-way (the export began after their first event); ` +
          'each is checked from its first event here, whose prevHash is the hash to match in an earlier export:',
      );
      for (const c of result.continued)
        out(`  ${c.streamId} from revision ${c.firstRevision}, prevHash ${c.prevHash}`);
    }
    if (result.gaps > 0) out(`${result.gaps} gap(s): a stream skips revisions the export does not hold`);
    const gap = result.firstGap;
    if (gap) {
      out(
        `  first at line ${gap.line}: stream ${gap.streamId} goes from revision ${gap.from} to ${gap.to}` +
          (opts.complete
            ? ': events of it are missing from the file'
            : result.wholeLog
              ? ': events of it are missing from the file (the export states it holds the whole log from its first event)'
              : ' (expected in an export cut to one organisation; in an export of the whole log, lines were removed: check it with --complete)'),
      );
    }
    if (result.cutShort) {
      out(
        `the export ends at position ${result.cutShort.lastPosition}, before the head its first line states ` +
          `(${result.cutShort.logHead}): its last events are missing (an interrupted export: finish it with --resume)`,
      );
    }
    if (result.checkpoint) {
      out(
        result.checkpoint.ok
          ? `the first ${result.checkpoint.size} events have the signed checkpoint's root`
          : `the export does not match the checkpoint of ${result.checkpoint.size}: ${result.checkpoint.reason}`,
      );
    }
    const bad = result.firstBadEvent;
    if (bad) {
      out(
        `first bad event: line ${bad.line} ${BAD_REASON_WORDS[bad.reason]} (${bad.reason}): ` +
          `stream ${bad.streamId ?? '?'} revision ${bad.revision ?? '?'} (event ${bad.eventId ?? '?'}, position ${bad.position ?? '?'})`,
      );
    }
  }
  if (!result.ok) throw new CliError(`verification of ${file} failed`);
  if (!opts.json) out('ok: every chain in the file verifies');
}

/** One progress line on stderr, redrawn in place on a terminal at most ten times a second; undefined ends it. */
function progressLine(forced: boolean): (text: string | undefined) => void {
  const tty = process.stderr.isTTY === true;
  let last = 0;
  let pending: string | undefined;
  return (text) => {
    if (!tty && !forced) return;
    if (text === undefined) {
      if (pending !== undefined) process.stderr.write(tty ? `\r${pending}\u001b[K\n` : `${pending}\n`);
      pending = undefined;
      return;
    }
    pending = text;
    const now = Date.now();
    if (now - last < (tty ? 100 : 1000)) return;
    last = now;
    process.stderr.write(tty ? `\r${text}\u001b[K` : `${text}\n`);
  };
}

import { Command } from 'commander';
import type { ReportDocument } from '@accord/domain';
import { ClientFlags, ClientSettings, resolveClientSettings } from '../cli-config';
import { CliError, exitCodeForStatus, noTokenError, unreachableError, UsageError } from '../cli-error';
import { writeUserFile } from '../cli-files';
import { callApi, problemLine } from '../http-client';
import { logPositions } from '../log-position';

interface Kept {
  documentId: string;
  agreementId: string;
  exemption: string;
  lawfulBasis?: string;
  legalHold?: boolean;
}

interface RequestView {
  id: string;
  kind: string;
  status: string;
  outcome: string;
  documentIds: string[];
  erasure: { erased: string[]; kept: Kept[]; refusal: string | null } | null;
  rectification: { supersededId: string; correctedId: string } | null;
  report: string | null;
}

const settingsOf = (cmd: Command) => resolveClientSettings(cmd.optsWithGlobals<ClientFlags>());
const out = (line: string): void => void process.stdout.write(`${line}\n`);

type SubjectOptions = { nhsNumber?: string; localRef?: string; reason: string; idempotencyKey?: string };

/** Exactly one identifier; it goes to the server only, which keeps nothing but its HMAC. */
function subjectOf(opts: SubjectOptions): { scheme: string; value: string } {
  if ((opts.nhsNumber === undefined) === (opts.localRef === undefined))
    throw new UsageError('name the subject with one of --nhs-number or --local-ref');
  return opts.nhsNumber !== undefined
    ? { scheme: 'nhs-number', value: opts.nhsNumber }
    : { scheme: 'local-ref', value: opts.localRef! };
}

const withSubject = (command: Command): Command =>
  command
    .option('--nhs-number <number>', "the subject's NHS number")
    .option('--local-ref <ref>', "the subject's local case reference")
    .requiredOption('--reason <text>', 'why (the request letter, the dispute)')
    .option('--idempotency-key <key>', 'reuse the key of an earlier attempt so a retry does nothing twice')
    .option('--json', 'print JSON');

/** `<id> <kind> <outcome>` first, for scripts; then one line per document concerned. */
function printView(v: RequestView): void {
  out(`${v.id} ${v.kind} ${v.outcome}`);
  if (v.erasure) {
    for (const id of v.erasure.erased) out(`  erased ${id}`);
    for (const k of v.erasure.kept)
      out(`  kept   ${k.documentId} (${k.exemption}: ${k.legalHold ? 'legal hold' : k.lawfulBasis})`);
    if (v.erasure.refusal) out(`  reason: ${v.erasure.refusal}`);
  } else if (v.rectification) {
    out(`  ${v.rectification.supersededId} superseded by ${v.rectification.correctedId}`);
  } else {
    for (const id of v.documentIds) out(`  ${id}`);
  }
}

async function submit(
  cmd: Command,
  body: Record<string, unknown>,
  opts: SubjectOptions & { json?: boolean },
) {
  const view = await callApi<RequestView>(settingsOf(cmd), 'POST', '/subject-requests', {
    body: { ...body, subject: subjectOf(opts), reason: opts.reason },
    ...(opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {}),
  });
  if (opts.json) out(JSON.stringify(view, null, 2));
  else printView(view);
}

/** The printable report, asked for as HTML (callApi speaks JSON only). */
async function fetchHtml(settings: ClientSettings, path: string): Promise<string> {
  if (!settings.token) throw noTokenError();
  let res: Response;
  try {
    res = await fetch(settings.url + path, {
      headers: {
        authorization: `Bearer ${settings.token}`,
        accept: 'text/html',
        ...logPositions().headers(settings.url),
      },
    });
  } catch {
    throw unreachableError(settings.url);
  }
  const text = await res.text();
  if (!res.ok) {
    let problem: unknown = undefined;
    try {
      problem = JSON.parse(text);
    } catch {
      // not a problem document
    }
    throw new CliError(problemLine(res.status, problem), exitCodeForStatus(res.status));
  }
  return text;
}

/** `accord subject ...`: data-subject rights (UK GDPR Arts 15-18), for an organisation's IG lead. */
export function subjectCommand(): Command {
  const subject = new Command('subject').description(
    'data-subject requests: access, restriction, erasure, rectification (IG lead)',
  );

  withSubject(subject.command('access'))
    .description('every document your organisation holds or shared about the subject, who opened it and when')
    .option('--html <file>', 'also write the printable report to this file')
    .action(async (opts: SubjectOptions & { json?: boolean; html?: string }, cmd: Command) => {
      const view = await callApi<RequestView>(settingsOf(cmd), 'POST', '/subject-requests', {
        body: { kind: 'access', subject: subjectOf(opts), reason: opts.reason },
        ...(opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {}),
      });
      const path = `/subject-requests/${encodeURIComponent(view.id)}/report`;
      if (opts.html) writeUserFile(opts.html, await fetchHtml(settingsOf(cmd), path), { mode: 0o600 });
      const report = await callApi<{ documents: ReportDocument[] }>(settingsOf(cmd), 'GET', path);
      if (opts.json) return out(JSON.stringify({ ...view, report }, null, 2));
      out(`${view.id} access ${view.outcome} documents:${report.documents.length}`);
      for (const d of report.documents) {
        const how = d.held === 'sent' ? 'sent' : `received from ${d.obtainedFrom}`;
        const bases = d.agreement.lawfulBases.map((b) => b.code).join(',');
        out(
          `  ${d.documentId} ${how} ${d.sharedAt} agreement ${d.agreement.id} (${bases}) to ${d.sharedWith.join(',')}`,
        );
        for (const o of d.openings)
          out(`    opened ${o.at} by ${o.orgId}${o.userId ? ` user ${o.userId}` : ''}`);
      }
      if (opts.html) out(`report written to ${opts.html}`);
    });

  withSubject(subject.command('restrict'))
    .description(
      "restrict processing while accuracy is disputed: every open of the subject's documents is refused",
    )
    .action((opts: SubjectOptions & { json?: boolean }, cmd: Command) =>
      submit(cmd, { kind: 'restriction' }, opts),
    );

  withSubject(subject.command('lift'))
    .description('lift the restriction your organisation applied')
    .action((opts: SubjectOptions & { json?: boolean }, cmd: Command) =>
      submit(cmd, { kind: 'lift-restriction' }, opts),
    );

  withSubject(subject.command('erase'))
    .description('erase what your organisation shared, where no exemption (UK GDPR Art 17(3)) applies')
    .action((opts: SubjectOptions & { json?: boolean }, cmd: Command) =>
      submit(cmd, { kind: 'erasure' }, opts),
    );

  withSubject(subject.command('rectify'))
    .description('record that a corrected document (already shared) supersedes an earlier one')
    .requiredOption('--document <id>', 'the document corrected')
    .requiredOption('--corrected <id>', 'the corrected document that supersedes it')
    .action((opts: SubjectOptions & { json?: boolean; document: string; corrected: string }, cmd: Command) =>
      submit(
        cmd,
        { kind: 'rectification', documentId: opts.document, correctedDocumentId: opts.corrected },
        opts,
      ),
    );

  subject
    .command('show <id>')
    .description('a subject request and its outcome')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const view = await callApi<RequestView>(
        settingsOf(cmd),
        'GET',
        `/subject-requests/${encodeURIComponent(id)}`,
      );
      if (opts.json) return out(JSON.stringify(view, null, 2));
      printView(view);
    });

  return subject;
}

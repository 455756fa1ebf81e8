import { Command } from 'commander';
import { ClientFlags, resolveClientSettings } from '../cli-config';
import { CliError } from '../cli-error';
import { readUserJson } from '../cli-files';
import { callApi } from '../http-client';
import { JSON_OPTION, printJson } from '../output';

interface Outcome {
  id: string;
  version: number;
  status: string;
  activeVersion: number | null;
  pendingVersion: number | null;
  reviewOverdue: boolean;
  nextReviewDue: string | null;
  terminationEffectiveAt: string | null;
}

interface Summary extends Outcome {
  title: string;
  category: string;
  leadOrganisation: { id: string; name: string | null };
}

interface Detail extends Summary {
  terms: {
    purposes: string[];
    parties: string[];
    dataCategories: string[];
    lawfulBases: string[];
    retentionPeriod: string;
  };
  versions: {
    version: number;
    state: string;
    reasonForChange: string | null;
    signatures: { orgId: string; position: string; signedAt: string }[];
    awaitingSignatureFrom: string[];
  }[];
}

/**
 * A fixture's members that are history or notes, not terms (docs/architecture.md §17): `draft` leaves them
 * out (`import` carries the history). Any other field goes to the server, which refuses what it does not
 * know (docs/architecture.md §28): nothing is dropped silently.
 */
const FIXTURE_HISTORY = ['versions', 'signatures', 'retentionNote'] as const;

const settingsOf = (cmd: Command) => resolveClientSettings(cmd.optsWithGlobals<ClientFlags>());
const out = (line: string): void => void process.stdout.write(`${line}\n`);
const path = (id: string, suffix = '') => `/agreements/${encodeURIComponent(id)}${suffix}`;

/** A draft body from a file holding either the body itself or a fixture with an `agreement` member. */
export function draftBodyFrom(json: unknown): Record<string, unknown> {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new CliError('the agreement file must hold a JSON object');
  }
  const fixture = (json as { agreement?: unknown }).agreement;
  if (fixture === undefined) return json as Record<string, unknown>;
  if (fixture === null || typeof fixture !== 'object' || Array.isArray(fixture)) {
    throw new CliError('the "agreement" member must be a JSON object');
  }
  const fields = { ...(fixture as Record<string, unknown>) };
  for (const f of FIXTURE_HISTORY) delete fields[f];
  return fields;
}

/** Copies `from`, renaming as `names` says; a member `names` does not know is refused, not dropped. */
function renamed(from: unknown, names: Record<string, string | null>, what: string): Record<string, unknown> {
  if (from === null || typeof from !== 'object' || Array.isArray(from)) {
    throw new CliError(`each of ${what} must be a JSON object`);
  }
  const out: Record<string, unknown> = {};
  for (const [key, value] of Object.entries(from)) {
    if (!(key in names)) throw new CliError(`${what}: unknown field "${key}"`);
    const to = names[key];
    if (to) out[to] = value;
  }
  return out;
}

/**
 * The body of POST /agreements/import from a file holding either that body ({source, terms, versions,
 * signatures}) or a fixture ({source, agreement: {...terms, versions, signatures}}, docs/architecture.md §17).
 */
export function importBodyFrom(json: unknown, source?: string): Record<string, unknown> {
  if (json === null || typeof json !== 'object' || Array.isArray(json)) {
    throw new CliError('the agreement file must hold a JSON object');
  }
  const file = json as Record<string, unknown>;
  if (file.agreement === undefined) return { ...file, ...(source ? { source } : {}) };
  const a = file.agreement as Record<string, unknown>;
  const terms = draftBodyFrom(json);
  const versions = Array.isArray(a.versions)
    ? a.versions.map((v) =>
        renamed(
          v,
          // `version` is the fixture's own numbering, which is the order of the list.
          {
            version: null,
            versionLabel: 'versionLabel',
            date: 'date',
            reasonForChange: 'reasonForChange',
            ratified: 'ratifiedOn',
            ratifiedOn: 'ratifiedOn',
            changes: 'changes',
          },
          'versions',
        ),
      )
    : undefined;
  const signatures = Array.isArray(a.signatures)
    ? a.signatures.map((sig) =>
        renamed(
          sig,
          {
            org: 'orgId',
            orgId: 'orgId',
            signatory: 'signatory',
            position: 'position',
            date: 'signedOn',
            signedOn: 'signedOn',
            version: 'version',
            versionLabel: 'versionLabel',
          },
          'signatures',
        ),
      )
    : undefined;
  const from = source ?? (typeof file.source === 'string' ? file.source : undefined);
  if (!from) throw new CliError('say where the agreement comes from: --source, or "source" in the file');
  return {
    source: from,
    terms,
    ...(versions ? { versions } : {}),
    ...(signatures ? { signatures } : {}),
  };
}

/** `active, version 1 in force, version 2 awaiting signatures, review overdue, ends 2025-06-30` */
export function statusText(o: Outcome): string {
  const live = o.status !== 'terminated';
  const parts = [o.status];
  if (o.activeVersion !== null)
    parts.push(`version ${o.activeVersion}${o.status === 'active' ? ' in force' : ''}`);
  if (o.pendingVersion !== null && live) parts.push(`version ${o.pendingVersion} awaiting signatures`);
  if (o.reviewOverdue) parts.push('review overdue');
  if (o.terminationEffectiveAt && live) parts.push(`ends ${o.terminationEffectiveAt.slice(0, 10)}`);
  return parts.join(', ');
}

/** One line per write, `<id> <status...>`: the id first, for scripts. */
const printOutcome = (o: Outcome) => out(`${o.id} ${statusText(o)}`);

function printDetail(a: Detail): void {
  out(`${a.title}`);
  out(`  id:        ${a.id}`);
  out(`  status:    ${statusText(a)}`);
  out(`  category:  ${a.category}`);
  out(`  lead:      ${a.leadOrganisation.name ?? a.leadOrganisation.id}`);
  out(`  parties:   ${a.terms.parties.join(', ')}`);
  out(`  review:    ${a.nextReviewDue ? a.nextReviewDue.slice(0, 10) : 'not scheduled'}`);
  out(`  retention: ${a.terms.retentionPeriod}`);
  for (const v of a.versions) {
    const reason = v.reasonForChange ? ` - ${v.reasonForChange}` : '';
    out(`  version ${v.version} (${v.state})${reason}: ${v.signatures.length} signature(s)`);
    if (v.awaitingSignatureFrom.length > 0) out(`    awaiting: ${v.awaitingSignatureFrom.join(', ')}`);
  }
}

type WriteOptions = { idempotencyKey?: string };
const KEY_OPTION = [
  '--idempotency-key <key>',
  'reuse the key of an earlier attempt so a retry does nothing twice',
] as const;

async function write(
  cmd: Command,
  method: string,
  url: string,
  body: unknown,
  opts: WriteOptions,
): Promise<void> {
  const o = await callApi<Outcome>(settingsOf(cmd), method, url, {
    body,
    ...(opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {}),
  });
  if (cmd.opts<{ json?: boolean }>().json) return printJson(o);
  printOutcome(o);
}

/** `accord agreements ...`: Information Sharing Agreements over the HTTP API. */
export function agreementsCommand(): Command {
  const agreements = new Command('agreements').description('information sharing agreements');

  agreements
    .command('list')
    .description('agreements your organisation is a party to (auditors: all)')
    .option('--status <status>', 'draft, active, suspended or terminated')
    .option('--party <org>', 'only those this organisation is a party to')
    .option('--json', 'print JSON')
    .action(async (opts: { status?: string; party?: string; json?: boolean }, cmd: Command) => {
      const query = new URLSearchParams();
      if (opts.status) query.set('status', opts.status);
      if (opts.party) query.set('party', opts.party);
      const qs = query.size > 0 ? `?${query}` : '';
      const { items } = await callApi<{ items: Summary[] }>(settingsOf(cmd), 'GET', `/agreements${qs}`);
      if (opts.json) return out(JSON.stringify(items, null, 2));
      if (items.length === 0) return out('no agreements');
      for (const a of items) out(`${a.id}  ${statusText(a)}  ${a.title}`);
    });

  agreements
    .command('show <id>')
    .description('terms, status and version history of one agreement')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const a = await callApi<Detail>(settingsOf(cmd), 'GET', path(id));
      if (opts.json) return out(JSON.stringify(a, null, 2));
      printDetail(a);
    });

  agreements
    .command('draft')
    .description('draft an agreement led by your organisation (IG lead); prints its id')
    .requiredOption(
      '--file <file>',
      'JSON: the agreement (docs/architecture.md §8.1), or a fixture with an "agreement" member',
    )
    .option(...KEY_OPTION)
    .option(...JSON_OPTION)
    .action(async (opts: { file: string } & WriteOptions, cmd: Command) => {
      await write(cmd, 'POST', '/agreements', draftBodyFrom(readUserJson(opts.file)), opts);
    });

  agreements
    .command('import')
    .description(
      'import an existing agreement with its versions, signatories and dates (IG lead of the lead)',
    )
    .requiredOption(
      '--file <file>',
      'JSON: {source, terms, versions, signatures} (docs/architecture.md §28), or a fixture with an "agreement" member',
    )
    .option('--source <text>', 'where it comes from (default: the file\'s "source")')
    .option(...KEY_OPTION)
    .option(...JSON_OPTION)
    .action(async (opts: { file: string; source?: string } & WriteOptions, cmd: Command) => {
      await write(
        cmd,
        'POST',
        '/agreements/import',
        importBodyFrom(readUserJson(opts.file), opts.source),
        opts,
      );
    });

  agreements
    .command('sign <id>')
    .description('sign the latest version for your organisation (IG lead)')
    .requiredOption('--signatory <name>', 'who signs')
    .requiredOption('--position <position>', "the signatory's position")
    .option('--signed-on <date>', 'the date as signed on the document (YYYY-MM-DD), if not today')
    .option('--agreement-version <n>', 'the version read; refused if a newer one exists', (v) =>
      Number.parseInt(v, 10),
    )
    .option(...KEY_OPTION)
    .option(...JSON_OPTION)
    .action(
      async (
        id: string,
        opts: {
          signatory: string;
          position: string;
          agreementVersion?: number;
          signedOn?: string;
        } & WriteOptions,
        cmd: Command,
      ) => {
        const { signatory, position, agreementVersion: version } = opts;
        await write(
          cmd,
          'POST',
          path(id, '/signatures'),
          {
            signatory,
            position,
            ...(version ? { version } : {}),
            ...(opts.signedOn ? { signedOn: opts.signedOn } : {}),
          },
          opts,
        );
      },
    );

  agreements
    .command('amend <id>')
    .description('propose a new version (every party signs it again)')
    .requiredOption('--file <file>', 'JSON object of the changed terms, e.g. {"retentionPeriod": "P2Y"}')
    .requiredOption('--reason <text>', 'reason for change')
    .option(...KEY_OPTION)
    .option(...JSON_OPTION)
    .action(async (id: string, opts: { file: string; reason: string } & WriteOptions, cmd: Command) => {
      const body = { changes: readUserJson(opts.file), reasonForChange: opts.reason };
      await write(cmd, 'POST', path(id, '/amendments'), body, opts);
    });

  agreements
    .command('review <id>')
    .description('record a review')
    .option('--next-review-due <date>', 'an earlier next review than the interval gives')
    .option(...KEY_OPTION)
    .option(...JSON_OPTION)
    .action(async (id: string, opts: { nextReviewDue?: string } & WriteOptions, cmd: Command) => {
      await write(
        cmd,
        'POST',
        path(id, '/reviews'),
        opts.nextReviewDue ? { nextReviewDue: opts.nextReviewDue } : {},
        opts,
      );
    });

  agreements
    .command('suspend <id>')
    .description('suspend: nothing may be shared under it until reinstated')
    .requiredOption('--reason <text>', 'why')
    .option(...KEY_OPTION)
    .option(...JSON_OPTION)
    .action(async (id: string, opts: { reason: string } & WriteOptions, cmd: Command) => {
      await write(cmd, 'POST', path(id, '/suspension'), { reason: opts.reason }, opts);
    });

  agreements
    .command('reinstate <id>')
    .description('lift a suspension')
    .requiredOption('--reason <text>', 'why')
    .option(...KEY_OPTION)
    .option(...JSON_OPTION)
    .action(async (id: string, opts: { reason: string } & WriteOptions, cmd: Command) => {
      await write(cmd, 'DELETE', path(id, '/suspension'), { reason: opts.reason }, opts);
    });

  agreements
    .command('terminate <id>')
    .description("serve notice of termination (the lead); another party's notice is its withdrawal")
    .requiredOption('--effective-at <date>', 'YYYY-MM-DD or an ISO-8601 instant, today or later')
    .option(...KEY_OPTION)
    .option(...JSON_OPTION)
    .action(async (id: string, opts: { effectiveAt: string } & WriteOptions, cmd: Command) => {
      await write(cmd, 'POST', path(id, '/termination'), { effectiveAt: opts.effectiveAt }, opts);
    });

  agreements
    .command('withdraw <id>')
    .description('withdraw your organisation from a date; the others carry on while at least two remain')
    .requiredOption(
      '--effective-at <date>',
      'YYYY-MM-DD or an ISO-8601 instant, giving the notice the terms state',
    )
    .option(...KEY_OPTION)
    .option(...JSON_OPTION)
    .action(async (id: string, opts: { effectiveAt: string } & WriteOptions, cmd: Command) => {
      await write(cmd, 'POST', path(id, '/withdrawal'), { effectiveAt: opts.effectiveAt }, opts);
    });

  agreements
    .command('join <id>')
    .description('propose a joining version adding an organisation (the lead, or the joiner itself)')
    .requiredOption('--org <org>', 'the organisation that joins')
    .option(...KEY_OPTION)
    .option(...JSON_OPTION)
    .action(async (id: string, opts: { org: string } & WriteOptions, cmd: Command) => {
      await write(cmd, 'POST', path(id, '/joining'), { orgId: opts.org }, opts);
    });

  return agreements;
}

import { Command } from 'commander';
import { ClientFlags, resolveClientSettings } from '../cli-config';
import { UsageError } from '../cli-error';
import { JSON_OPTION, printJson } from '../output';
import { callApi } from '../http-client';

interface Summary {
  id: string;
  status: string;
  reportedBy: string;
  discoveredAt: string;
  severity: string;
  nearMiss: boolean;
  agreementId: string | null;
  icoDeadline: string;
  secondsLeft: number;
  icoStatus: string;
  overdue: boolean;
}

interface Detail extends Summary {
  description: string;
  notifiedOrgs: string[];
  rationale: string | null;
  icoReference: string | null;
  subjectsNotifiedAt: string | null;
  outcome: string | null;
  containment: Containment[];
}

interface Containment {
  action: string;
  orgId: string;
  target: string;
  reason: string;
  at: string;
}

/** `user-suspended <userId> by <org> at <iso>: <reason>`. */
export function containmentLine(c: Containment): string {
  return `${c.action} ${c.target} by ${c.orgId} at ${c.at}: ${c.reason}`;
}

const settingsOf = (cmd: Command) => resolveClientSettings(cmd.optsWithGlobals<ClientFlags>());
const out = (line: string): void => void process.stdout.write(`${line}\n`);
const path = (id: string, suffix = '') => `/breaches/${encodeURIComponent(id)}${suffix}`;

/** `47h 59m left` or `1h 0m overdue`: how people read a statutory deadline. */
export function timeLeftText(seconds: number): string {
  const abs = Math.abs(seconds);
  const text = `${Math.floor(abs / 3600)}h ${Math.floor((abs % 3600) / 60)}m`;
  return seconds >= 0 ? `${text} left` : `${text} past`;
}

/** `<id> <status> ico:<icoStatus> deadline <iso> (<time left>)`: the id first, for scripts. */
export function breachLine(b: Summary): string {
  const clock =
    b.icoStatus === 'notified' || b.icoStatus === 'not-reportable' ? '' : ` (${timeLeftText(b.secondsLeft)})`;
  return `${b.id} ${b.status} ico:${b.icoStatus} deadline ${b.icoDeadline}${clock}`;
}

type WriteOptions = { idempotencyKey?: string };
const KEY_OPTION = [
  '--idempotency-key <key>',
  'reuse the key of an earlier attempt so a retry does nothing twice',
] as const;

async function write(cmd: Command, url: string, body: unknown, opts: WriteOptions): Promise<void> {
  const b = await callApi<Summary>(settingsOf(cmd), 'POST', url, {
    body,
    ...(opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {}),
  });
  if (cmd.opts<{ json?: boolean }>().json) return printJson(b);
  out(breachLine(b));
}

function yesNo(value: string): boolean {
  if (value === 'yes' || value === 'true') return true;
  if (value === 'no' || value === 'false') return false;
  throw new UsageError('--reportable takes yes or no');
}

/** `accord breach ...`: personal data breaches over the HTTP API. */
export function breachCommand(): Command {
  const breach = new Command('breach').description('personal data breaches and near misses');

  breach
    .command('report')
    .description('report a breach; every party of the agreement is notified at once (prints its id)')
    .requiredOption(
      '--discovered-at <instant>',
      'when it was discovered (ISO-8601); the ICO clock starts here',
    )
    .requiredOption('--description <text>', 'what happened')
    .requiredOption('--severity <level>', 'low, medium or high')
    .option('--near-miss', 'no personal data actually left its controller')
    .option('--agreement <id>', 'the agreement involved')
    // Lists take several values and repeat alike (--category name health, --category name --category health).
    .option('--document <id...>', 'documents involved')
    .option('--category <category...>', 'data categories affected (name, health, ...)')
    .option('--subjects <n>', 'approximate number of data subjects affected', (v) => Number.parseInt(v, 10))
    .option(...KEY_OPTION)
    .option(...JSON_OPTION)
    .action(
      async (
        opts: {
          discoveredAt: string;
          description: string;
          severity: string;
          nearMiss?: boolean;
          agreement?: string;
          document?: string[];
          category?: string[];
          subjects?: number;
        } & WriteOptions,
        cmd: Command,
      ) => {
        const body = {
          discoveredAt: opts.discoveredAt,
          description: opts.description,
          severity: opts.severity,
          nearMiss: opts.nearMiss === true,
          ...(opts.agreement ? { agreementId: opts.agreement } : {}),
          ...(opts.document ? { documentIds: opts.document } : {}),
          ...(opts.category ? { dataCategories: opts.category } : {}),
          ...(opts.subjects !== undefined ? { approxSubjects: opts.subjects } : {}),
        };
        await write(cmd, '/breaches', body, opts);
      },
    );

  breach
    .command('assess <id>')
    .description('record whether the ICO must be told (IG lead of the reporting organisation)')
    .requiredOption('--reportable <yes|no>', 'reportable to the ICO (UK GDPR Art 33)')
    .requiredOption('--rationale <text>', 'why')
    .option(...KEY_OPTION)
    .option(...JSON_OPTION)
    .action(
      async (id: string, opts: { reportable: string; rationale: string } & WriteOptions, cmd: Command) => {
        await write(
          cmd,
          path(id, '/assessment'),
          { icoReportable: yesNo(opts.reportable), rationale: opts.rationale },
          opts,
        );
      },
    );

  breach
    .command('notify-ico <id>')
    .description('record that the ICO was notified')
    .requiredOption('--reference <ref>', "the ICO's case reference")
    .option('--notified-at <instant>', 'when (default: now)')
    .option(...KEY_OPTION)
    .option(...JSON_OPTION)
    .action(
      async (id: string, opts: { reference: string; notifiedAt?: string } & WriteOptions, cmd: Command) => {
        const body = {
          reference: opts.reference,
          ...(opts.notifiedAt ? { notifiedAt: opts.notifiedAt } : {}),
        };
        await write(cmd, path(id, '/ico-notification'), body, opts);
      },
    );

  breach
    .command('notify-subjects <id>')
    .description('record that the data subjects were told (UK GDPR Art 34)')
    .option('--notified-at <instant>', 'when (default: now)')
    .option(...KEY_OPTION)
    .option(...JSON_OPTION)
    .action(async (id: string, opts: { notifiedAt?: string } & WriteOptions, cmd: Command) => {
      await write(
        cmd,
        path(id, '/subject-notification'),
        opts.notifiedAt ? { notifiedAt: opts.notifiedAt } : {},
        opts,
      );
    });

  breach
    .command('close <id>')
    .description('close the breach with its outcome and lessons learned')
    .requiredOption('--outcome <text>', 'the outcome')
    .requiredOption('--lessons <text>', 'lessons learned')
    .option(...KEY_OPTION)
    .option(...JSON_OPTION)
    .action(async (id: string, opts: { outcome: string; lessons: string } & WriteOptions, cmd: Command) => {
      await write(cmd, path(id, '/closure'), { outcome: opts.outcome, lessons: opts.lessons }, opts);
    });

  breach
    .command('contain <id>')
    .description(
      'contain your own organisation from the breach: suspend one of its users or revoke one of its keys (IG lead)',
    )
    .option('--suspend-user <userId>', 'suspend this user of your organisation')
    .option('--revoke-key <fingerprint>', "revoke this key of your organisation's")
    .requiredOption('--reason <text>', 'why (recorded on the breach and on the user or key)')
    .option(...KEY_OPTION)
    .option(...JSON_OPTION)
    .action(
      async (
        id: string,
        opts: { suspendUser?: string; revokeKey?: string; reason: string } & WriteOptions,
        cmd: Command,
      ) => {
        if ((opts.suspendUser === undefined) === (opts.revokeKey === undefined))
          throw new UsageError('give exactly one of --suspend-user and --revoke-key');
        const body =
          opts.suspendUser !== undefined
            ? { action: 'suspend-user', userId: opts.suspendUser, reason: opts.reason }
            : { action: 'revoke-key', fingerprint: opts.revokeKey, reason: opts.reason };
        const b = await callApi<Detail>(settingsOf(cmd), 'POST', path(id, '/containment'), {
          body,
          ...(opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {}),
        });
        if (cmd.opts<{ json?: boolean }>().json) return printJson(b);
        out(breachLine(b));
        for (const c of b.containment) out(`  ${containmentLine(c)}`);
      },
    );

  breach
    .command('list')
    .description("your organisation's breaches with their ICO deadline")
    .option(
      '--overdue',
      'only breaches past 72 hours without an ICO notification (reportable or not yet assessed)',
    )
    .option('--json', 'print JSON')
    .action(async (opts: { overdue?: boolean; json?: boolean }, cmd: Command) => {
      const qs = opts.overdue ? '?overdue=true' : '';
      const { items } = await callApi<{ items: Summary[] }>(settingsOf(cmd), 'GET', `/breaches${qs}`);
      if (opts.json) return out(JSON.stringify(items, null, 2));
      if (items.length === 0) return out('no breaches');
      for (const b of items) out(`${breachLine(b)} ${b.severity}${b.nearMiss ? ' near-miss' : ''}`);
    });

  breach
    .command('show <id>')
    .description('one breach: assessment, ICO deadline and time left, notifications')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const b = await callApi<Detail>(settingsOf(cmd), 'GET', path(id));
      if (opts.json) return out(JSON.stringify(b, null, 2));
      out(breachLine(b));
      out(`  severity:    ${b.severity}${b.nearMiss ? ' (near miss)' : ''}`);
      out(`  reported by: ${b.reportedBy}; notified: ${b.notifiedOrgs.join(', ')}`);
      out(`  agreement:   ${b.agreementId ?? 'none'}`);
      out(`  description: ${b.description}`);
      if (b.rationale) out(`  assessment:  ${b.rationale}`);
      if (b.icoReference) out(`  ICO ref:     ${b.icoReference}`);
      if (b.subjectsNotifiedAt) out(`  subjects told: ${b.subjectsNotifiedAt}`);
      if (b.outcome) out(`  outcome:     ${b.outcome}`);
      for (const c of b.containment ?? []) out(`  contained:   ${containmentLine(c)}`);
    });

  return breach;
}

import { Command } from 'commander';
import { ClientFlags, resolveClientSettings } from '../cli-config';
import { callApi } from '../http-client';
import { JSON_OPTION, printJson } from '../output';

interface Incident {
  id: string;
  kind: string;
  severity: string;
  status: string;
  summary: string;
  detectedAt: string;
  userId: string;
  orgId: string;
  orgIds: string[];
  documentIds: string[];
  evidence: string[];
  breachId: string | null;
  dismissal: string | null;
}

const settingsOf = (cmd: Command) => resolveClientSettings(cmd.optsWithGlobals<ClientFlags>());
const out = (line: string): void => void process.stdout.write(`${line}\n`);
const path = (id: string, suffix = '') => `/incidents/${encodeURIComponent(id)}${suffix}`;

/** `<id> <status> <kind> <severity> <detectedAt>: <summary>`: the id first, for scripts. */
export function incidentLine(i: Incident): string {
  const breach = i.breachId ? ` -> breach ${i.breachId}` : '';
  return `${i.id} ${i.status} ${i.kind} ${i.severity} ${i.detectedAt}${breach}: ${i.summary}`;
}

type WriteOptions = { idempotencyKey?: string };
const KEY_OPTION = [
  '--idempotency-key <key>',
  'reuse the key of an earlier attempt so a retry does nothing twice',
] as const;
const withKey = (opts: WriteOptions) => (opts.idempotencyKey ? { idempotencyKey: opts.idempotencyKey } : {});

/** `accord incident list|show|promote|dismiss`: the incidents the platform detected (GET /incidents ...). */
export function incidentCommand(): Command {
  const incident = new Command('incident').description(
    'security incidents the platform detected: list, inspect, promote to a breach report, dismiss',
  );

  incident
    .command('list')
    .description(
      'incidents involving your organisation (all of them for the admin and auditors), newest first',
    )
    .option('--status <status>', 'open, promoted or dismissed')
    .option('--kind <rule>', 'the rule that fired, e.g. denials-burst or non-uk-access')
    .option('--all', 'follow every page, not only the newest 100')
    .option('--json', 'print JSON')
    .action(async (opts: { status?: string; kind?: string; all?: boolean; json?: boolean }, cmd: Command) => {
      const items: Incident[] = [];
      let after: string | null = null;
      do {
        const q = new URLSearchParams({
          ...(opts.status ? { status: opts.status } : {}),
          ...(opts.kind ? { kind: opts.kind } : {}),
          ...(after ? { after } : {}),
        }).toString();
        const page: { items: Incident[]; nextAfter: string | null } = await callApi(
          settingsOf(cmd),
          'GET',
          `/incidents${q ? `?${q}` : ''}`,
        );
        items.push(...page.items);
        after = opts.all ? page.nextAfter : null;
      } while (after);
      if (opts.json) return out(JSON.stringify(items, null, 2));
      if (items.length === 0) return out('no incidents');
      for (const i of items) out(incidentLine(i));
    });

  incident
    .command('show <id>')
    .description('one incident with its evidence (the ids of the events that fired the rule)')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }, cmd: Command) => {
      const i = await callApi<Incident>(settingsOf(cmd), 'GET', path(id));
      if (opts.json) return out(JSON.stringify(i, null, 2));
      out(incidentLine(i));
      out(`  user:          ${i.userId} (${i.orgId})`);
      out(`  organisations: ${i.orgIds.join(', ')}`);
      if (i.documentIds.length > 0) out(`  documents:     ${i.documentIds.join(', ')}`);
      out(`  evidence:      ${i.evidence.join(', ')}`);
      if (i.dismissal) out(`  dismissed:     ${i.dismissal}`);
    });

  incident
    .command('promote <id>')
    .description(
      'report the incident as a breach (one incident becomes at most one breach); prints the breach id',
    )
    .option('--near-miss', 'no personal data actually left its controller')
    .option('--severity <severity>', "low, medium or high (default: the incident's own)")
    .option('--agreement <id>', 'the agreement involved: every party of it is notified')
    .option(...KEY_OPTION)
    .option(...JSON_OPTION)
    .action(
      async (
        id: string,
        opts: { nearMiss?: boolean; severity?: string; agreement?: string } & WriteOptions,
        cmd: Command,
      ) => {
        const body = {
          nearMiss: opts.nearMiss === true,
          ...(opts.severity ? { severity: opts.severity } : {}),
          ...(opts.agreement ? { agreementId: opts.agreement } : {}),
        };
        const i = await callApi<Incident>(settingsOf(cmd), 'POST', path(id, '/promote'), {
          body,
          ...withKey(opts),
        });
        if (cmd.opts<{ json?: boolean }>().json) return printJson(i);
        out(i.breachId ?? '');
        out(incidentLine(i));
      },
    );

  incident
    .command('dismiss <id>')
    .description('close the incident as benign, with the reason')
    .requiredOption('--reason <text>', 'why it is benign (recorded on the incident)')
    .option(...KEY_OPTION)
    .option(...JSON_OPTION)
    .action(async (id: string, opts: { reason: string } & WriteOptions, cmd: Command) => {
      const i = await callApi<Incident>(settingsOf(cmd), 'POST', path(id, '/dismiss'), {
        body: { reason: opts.reason },
        ...withKey(opts),
      });
      if (cmd.opts<{ json?: boolean }>().json) return printJson(i);
      out(incidentLine(i));
    });

  return incident;
}

import { Command } from 'commander';
import { ClientFlags, resolveClientSettings } from '../cli-config';
import { callApi } from '../http-client';

interface InboxItem {
  id: string;
  kind: string;
  documentId: string;
  occurredAt: string;
  read: boolean;
  senderOrg: string;
  title: string;
  nature: string;
  purpose: string;
  supersededBy: string | null;
}

interface InboxPage {
  items: InboxItem[];
  unread: number;
  nextAfter: string | null;
}

const out = (line: string): void => void process.stdout.write(`${line}\n`);

const WHAT: Record<string, string> = {
  'document-shared': 'shared',
  'document-destroyed': 'DESTROYED',
  'document-erased': 'ERASED',
  'document-superseded': 'SUPERSEDED',
  'document-revoked': 'REVOKED',
};

/** `<documentId> <new|read> <what> <occurredAt> <nature> from <org>: <title>`: the document id first, for scripts. */
export function inboxLine(i: InboxItem): string {
  const what = WHAT[i.kind] ?? i.kind;
  const by = i.supersededBy ? ` (use ${i.supersededBy})` : '';
  return `${i.documentId} ${i.read ? 'read' : 'new '} ${what} ${i.occurredAt} ${i.nature} from ${i.senderOrg}: ${i.title}${by}`;
}

/** `accord inbox`: GET /inbox, unread first, then newest first (docs/architecture.md §27). */
export function inboxCommand(): Command {
  return new Command('inbox')
    .description(
      'documents shared with you and what became of them (destroyed, superseded, revoked), unread first',
    )
    .option('--limit <n>', 'entries per page', '50')
    .option('--all', 'follow every page')
    .option('--json', 'print JSON')
    .action(async (opts: { limit: string; all?: boolean; json?: boolean }, cmd: Command) => {
      const settings = resolveClientSettings(cmd.optsWithGlobals<ClientFlags>());
      const items: InboxItem[] = [];
      let unread = 0;
      let after: string | null = null;
      do {
        const q = new URLSearchParams({ limit: opts.limit, ...(after ? { after } : {}) }).toString();
        const page: InboxPage = await callApi(settings, 'GET', `/inbox?${q}`);
        items.push(...page.items);
        unread = page.unread;
        after = opts.all ? page.nextAfter : null;
      } while (after);
      if (opts.json) return out(JSON.stringify({ items, unread }, null, 2));
      if (items.length === 0) return out('inbox empty');
      out(`${unread} unread`);
      for (const i of items) out(inboxLine(i));
    });
}

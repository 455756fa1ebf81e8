import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import * as ts from 'typescript';
import * as domain from '@accord/domain';
import { STREAM_FAMILIES, STREAM_PREFIXES, StreamFamily, streamIdOf } from '@accord/domain';
import { KurrentDbEventStore } from '@accord/event-store';
import { createEventStore } from './event-store.provider';

/**
 * In cluster mode the KurrentDB adapter reads $all through a stream-name filter; a stream family it does not
 * match is written but never projected nor verified. These checks fail when a family exists (in the registry,
 * or spelled by a writer) that the filter the platform configures does not cover.
 */
const ROOT = join(__dirname, '../../../..');
const SCANNED = ['apps', 'libs', 'bench'];
/** Generic adapter code and its contract suites name throwaway streams of their own. */
const NOT_WRITERS = [/\.spec\.ts$/, /\.contract\.ts$/, /[\\/]testing[\\/]/, /^libs[\\/]event-store[\\/]/];

/** The registry's own stream-id builders, found by what the domain exports. */
const REGISTRY_BUILDERS = new Set(
  Object.entries(domain)
    .filter(([name, v]) => typeof v === 'function' && (name.endsWith('StreamId') || name === 'streamIdOf'))
    .map(([name]) => name),
);

interface StreamNameSite {
  where: string;
  text: string;
  /** The fixed start of a literal stream name, or undefined when the name is built elsewhere. */
  literalPrefix?: string;
  builder?: string;
}

function receiverText(call: ts.CallExpression, source: ts.SourceFile): string | undefined {
  return ts.isPropertyAccessExpression(call.expression)
    ? call.expression.expression.getText(source)
    : undefined;
}

/** The argument of `call` that names a stream, when `call` is a write or read of the event log. */
function streamArgument(call: ts.CallExpression, source: ts.SourceFile): ts.Expression | undefined {
  const callee = call.expression;
  const name = ts.isPropertyAccessExpression(callee)
    ? callee.name.text
    : ts.isIdentifier(callee)
      ? callee.text
      : '';
  const receiver = receiverText(call, source) ?? '';
  if (name === 'runCommand') return call.arguments[1];
  if (name === 'run' && /runner$/i.test(receiver)) return call.arguments[0];
  // An event store's append takes (stream, events, expectedRevision); an HTTP response's or a form's does not.
  if (name === 'append' && call.arguments.length === 3 && /store|inner/i.test(receiver))
    return call.arguments[0];
  if (name === 'readStream') return call.arguments[0];
  return undefined;
}

function streamNameSites(file: string, text: string): StreamNameSite[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.ES2022, true);
  const sites: StreamNameSite[] = [];
  const visit = (node: ts.Node): void => {
    if (ts.isCallExpression(node)) {
      const arg = streamArgument(node, source);
      if (arg) {
        const { line } = source.getLineAndCharacterOfPosition(arg.getStart(source));
        const site: StreamNameSite = { where: `${file}:${line + 1}`, text: arg.getText(source) };
        if (ts.isStringLiteral(arg) || ts.isNoSubstitutionTemplateLiteral(arg)) site.literalPrefix = arg.text;
        else if (ts.isTemplateExpression(arg)) site.literalPrefix = arg.head.text;
        else if (ts.isBinaryExpression(arg) && ts.isStringLiteral(arg.left))
          site.literalPrefix = arg.left.text;
        else if (ts.isCallExpression(arg) && ts.isIdentifier(arg.expression))
          site.builder = arg.expression.text;
        sites.push(site);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return sites;
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(path);
    return entry.name.endsWith('.ts') ? [path] : [];
  });
}

/** A site is covered when its literal name passes the filter or it is built by the registry. */
function uncovered(sites: StreamNameSite[], covers: (streamId: string) => boolean): StreamNameSite[] {
  return sites.filter((s) => {
    if (s.literalPrefix !== undefined)
      return !covers(`${s.literalPrefix}0190c2b4-0000-7000-8000-000000000000`);
    if (s.builder !== undefined) return !REGISTRY_BUILDERS.has(s.builder);
    return false;
  });
}

describe('the KurrentDB $all filter the platform configures', () => {
  let store: KurrentDbEventStore;
  beforeAll(() => {
    // The real provider path; the client connects lazily, so nothing is dialled here.
    store = createEventStore({
      kind: 'kurrentdb',
      connectionString: 'kurrentdb://127.0.0.1:1?tls=false',
    }) as KurrentDbEventStore;
  });
  afterAll(() => store.close());

  it('covers every stream family of the registry, incidents and webhook deliveries included', () => {
    const families = Object.keys(STREAM_FAMILIES) as StreamFamily[];
    expect(families).toEqual(expect.arrayContaining(['incident', 'webhookDelivery']));
    const missed = families.filter(
      (f) => !store.covers(streamIdOf(f, '0190c2b4-0000-7000-8000-000000000000')),
    );
    expect(missed).toEqual([]);
    expect(store.covers('$stats-127.0.0.1:2113')).toBe(false);
    expect(store.covers('orders-1')).toBe(false);
  });

  it('assigns every stream id to exactly one family (no prefix is the start of another)', () => {
    const overlapping = STREAM_PREFIXES.flatMap((a) =>
      STREAM_PREFIXES.filter((b) => a !== b && b.startsWith(a)).map((b) => `${a} / ${b}`),
    );
    expect(overlapping).toEqual([]);
  });

  it('covers every stream name a writer or reader in apps/, libs/ and bench/ produces', () => {
    const sites = SCANNED.flatMap((dir) => sourceFiles(join(ROOT, dir)))
      .map((path) => relative(ROOT, path))
      .filter((file) => !NOT_WRITERS.some((rx) => rx.test(file)))
      .flatMap((file) => streamNameSites(file, readFileSync(join(ROOT, file), 'utf8')));
    // The scan must be finding the writers at all, or an empty list would pass.
    expect(sites.filter((s) => s.builder && REGISTRY_BUILDERS.has(s.builder)).length).toBeGreaterThan(20);
    expect(uncovered(sites, (id) => store.covers(id))).toEqual([]);
  });

  it('would report a writer that spells a family of its own', () => {
    const code = [
      'async function f(store: EventStore, runner: Runner) {',
      '  await store.append(`orders-${id}`, events, "no-stream");',
      '  await runner.run(documentStreamId(id), decider, command, meta, idem);',
      '  await runCommand(this.store, auditTrailStream(id), decider, command, {});',
      '  res.append("Set-Cookie", "a=b");',
      '}',
    ].join('\n');
    const flagged = uncovered(streamNameSites('x.ts', code), (id) => store.covers(id)).map((s) => s.text);
    expect(flagged).toEqual(['`orders-${id}`', 'auditTrailStream(id)']);
  });
});

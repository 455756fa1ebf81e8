import { execFile, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import * as ts from 'typescript';
import { canonicalOpenApiJson } from '../../apps/api/src/openapi';
import { builtEntry, freePort, json, ROOT } from '../api/support/built-apps';
import { BuiltApi, startBuiltApi } from '../api/support/built-process';
import { CLIENT_PROGRAM, MISTYPED_PROGRAM } from './support/client-program';

/* eslint-disable @typescript-eslint/no-explicit-any -- the document is checked member by member below */
type Doc = any;

const COMMITTED = join(ROOT, 'docs', 'openapi.json');
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const PROBLEM_REF = '#/components/schemas/Problem';

interface Operation {
  method: string;
  path: string;
  op: any;
}

const operationsOf = (doc: Doc): Operation[] =>
  Object.entries(doc.paths as Record<string, Record<string, unknown>>).flatMap(([path, item]) =>
    Object.entries(item)
      .filter(([method]) => METHODS.includes(method))
      .map(([method, op]) => ({ method, path, op })),
  );

const name = ({ method, path }: Operation): string => `${method.toUpperCase()} ${path}`;

/** Every schema object in the document, with where it is, to look for ones a generator cannot type. */
function schemasIn(node: unknown, at = '#'): [string, any][] {
  if (node === null || typeof node !== 'object') return [];
  const here: [string, any][] = [];
  const obj = node as Record<string, unknown>;
  if ('type' in obj || '$ref' in obj || 'allOf' in obj || 'properties' in obj) here.push([at, obj]);
  return here.concat(
    Object.entries(obj).flatMap(([k, v]) => (k === 'example' ? [] : schemasIn(v, `${at}/${k}`))),
  );
}

/** The members a Problem schema requires, with their types, checked on a body the api really sent. */
function violations(schema: any, body: any): string[] {
  const out: string[] = [];
  for (const key of schema.required ?? []) if (!(key in body)) out.push(`missing ${key}`);
  for (const [key, prop] of Object.entries<any>(schema.properties ?? {})) {
    if (!(key in body)) continue;
    const v = body[key];
    const ok =
      prop.type === 'integer'
        ? Number.isInteger(v)
        : prop.type === 'array'
          ? Array.isArray(v)
          : prop.type === undefined || typeof v === prop.type;
    if (!ok) out.push(`${key} is not ${prop.type}`);
  }
  return out;
}

/** Type-checks the files as one strict program; the errors of each file, by file name. */
function typeCheck(dir: string, files: string[]): Record<string, string[]> {
  const program = ts.createProgram(
    files.map((f) => join(dir, f)),
    {
      strict: true,
      noEmit: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.ES2022,
      moduleResolution: ts.ModuleResolutionKind.Bundler,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: [],
      // The generated schema.d.ts is a declaration file: checking libraries is checking it.
      skipLibCheck: false,
    },
  );
  const errors: Record<string, string[]> = Object.fromEntries(files.map((f) => [f, []]));
  for (const d of ts.getPreEmitDiagnostics(program)) {
    const file = d.file ? relative(dir, d.file.fileName) : '(global)';
    (errors[file] ??= []).push(ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  }
  return errors;
}

function run(file: string, args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) =>
    execFile(
      process.execPath,
      [file, ...args],
      { env: { PATH: process.env.PATH ?? '', ...env } },
      (e, out, err) => (e ? reject(new Error(`${e.message}\n${err}`)) : resolve(out)),
    ),
  );
}

describe('the OpenAPI document and a client generated from it', () => {
  let dataDir: string;
  let work: string;
  let api: BuiltApi;
  let url: string;
  let adminToken: string;
  let doc: Doc;

  beforeAll(async () => {
    builtEntry('cli');
    dataDir = mkdtempSync(join(tmpdir(), 'accord-openapi-data-'));
    work = mkdtempSync(join(tmpdir(), 'accord-openapi-client-'));
    // As an operator starts a platform: `accord admin init` on the store prints the first admin's token.
    const init = spawnSync(
      process.execPath,
      [join(ROOT, 'bin', 'accord'), 'admin', 'init', '--name', 'Ops', '--email', 'ops@platform.test.example'],
      { env: { PATH: process.env.PATH ?? '', DATA_DIR: dataDir }, encoding: 'utf8' },
    );
    expect(init.status).toBe(0);
    adminToken = init.stdout.trim();
    const port = await freePort();
    url = `http://127.0.0.1:${port}`;
    api = startBuiltApi(dataDir, port);
    await api.listening;
    doc = await (await fetch(`${url}/docs-json`)).json();
  });

  afterAll(async () => {
    if (api) {
      api.child.kill('SIGTERM');
      await api.exited;
    }
    rmSync(dataDir, { recursive: true, force: true });
    rmSync(work, { recursive: true, force: true });
  });

  it('docs/openapi.json is the document the api serves (refresh it with `npm run openapi:export`)', () => {
    expect(canonicalOpenApiJson(doc)).toBe(readFileSync(COMMITTED, 'utf8'));
  });

  it('names a server and an opaque bearer scheme that every route needs unless it says security: []', () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: '/' })]);
    expect(doc.components.securitySchemes).toEqual({
      bearer: { type: 'http', scheme: 'bearer', description: expect.stringMatching(/opaque/i) },
      // A browser's alternative to the header (docs/architecture.md §34).
      session: expect.objectContaining({ type: 'apiKey', in: 'cookie', name: 'accord_session' }),
    });
    expect(doc.security).toEqual([{ bearer: [] }]);
    const publicOps = operationsOf(doc)
      .filter(({ op }) => Array.isArray(op.security) && op.security.length === 0)
      .map(name);
    expect(publicOps.sort()).toEqual([
      'GET /health',
      'GET /health/live',
      'GET /health/ready',
      'GET /register',
      'POST /session',
    ]);
  });

  it('gives every operation a unique camelCase operationId, a tag and a one-line summary', () => {
    const ops = operationsOf(doc);
    const ids = ops.map(({ op }) => op.operationId);
    expect(ids.filter((id) => !/^[a-z][A-Za-z0-9]*$/.test(id))).toEqual([]);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
    expect(ops.filter(({ op }) => !(op.tags?.length > 0)).map(name)).toEqual([]);
    const badSummary = ops.filter(
      ({ op }) => typeof op.summary !== 'string' || !/^[^\n]{10,160}$/.test(op.summary),
    );
    expect(badSummary.map(name)).toEqual([]);
    const byRoute = Object.fromEntries(ops.map((o) => [name(o), o.op.operationId]));
    expect(byRoute).toMatchObject({
      'POST /documents': 'shareDocument',
      'GET /documents/{id}/content': 'openDocument',
      'POST /agreements': 'draftAgreement',
      'POST /agreements/{id}/signatures': 'signAgreement',
      'POST /organisations': 'registerOrganisation',
      'POST /organisations/{org}/users': 'enrolUser',
      'GET /health': 'getHealth',
    });
  });

  it('answers every error of every operation with the Problem schema as application/problem+json', () => {
    const wrong: string[] = [];
    for (const o of operationsOf(doc)) {
      if (!o.op.responses.default) wrong.push(`${name(o)}: no default response`);
      for (const [status, response] of Object.entries<any>(o.op.responses)) {
        // /health's 503 is its own report (the load balancer's signal), not a problem: documented as such.
        if (name(o) === 'GET /health' && status === '503') continue;
        if (!(status === 'default' || Number(status) >= 400)) continue;
        const content = response.content ?? {};
        if (
          Object.keys(content).join() !== 'application/problem+json' ||
          content['application/problem+json'].schema?.$ref !== PROBLEM_REF
        )
          wrong.push(`${name(o)} ${status}: ${JSON.stringify(content)}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(doc.components.schemas.Problem.required).toEqual([
      'type',
      'title',
      'status',
      'detail',
      'instance',
      'correlationId',
    ]);
  });

  it('types every schema: no bare object, and every nullable member says what it is when present', () => {
    const untyped = schemasIn(doc)
      .filter(
        ([, s]) =>
          (s.type === 'object' && !s.properties && !s.additionalProperties && !s.allOf) ||
          (s.nullable === true && !s.type && !s.$ref && !s.allOf),
      )
      .map(([at]) => at);
    expect(untyped).toEqual([]);
    const binary = doc.paths['/documents/{id}/content'].get.responses['200'].content;
    expect(binary).toEqual({ 'application/pgp-encrypted': { schema: { type: 'string', format: 'binary' } } });
    expect(Object.keys(doc.paths['/register'].get.responses['200'].content).sort()).toEqual([
      'application/json',
      'text/csv',
      'text/html',
    ]);
    expect(
      Object.keys(doc.paths['/subject-requests/{id}/report'].get.responses['200'].content).sort(),
    ).toEqual(['application/json', 'text/html']);
    expect(Object.keys(doc.paths['/audit/events'].get.responses['200'].content)).toEqual([
      'application/x-ndjson',
    ]);
    expect(Object.keys(doc.paths['/audit/users/{id}/history'].get.responses['200'].content).sort()).toEqual([
      'application/json',
      'text/csv',
    ]);
  });

  it("says what the guard does: without a token a secured operation answers a 401 Problem, a public one doesn't", async () => {
    const mismatches: string[] = [];
    for (const o of operationsOf(doc)) {
      const path = o.path.replace(/\{[^}]+\}/g, '00000000-0000-4000-8000-000000000000');
      const res = await fetch(url + path, { method: o.method.toUpperCase() });
      const body = await res.text();
      const secured = !(Array.isArray(o.op.security) && o.op.security.length === 0);
      if (secured !== (res.status === 401))
        mismatches.push(`${name(o)} answered ${res.status} without a token`);
      if (res.status === 401) {
        expect(res.headers.get('content-type')).toMatch(/^application\/problem\+json/);
        expect(violations(doc.components.schemas.Problem, JSON.parse(body))).toEqual([]);
      }
    }
    expect(mismatches).toEqual([]);
  });

  it('generates a client with openapi-typescript that type-checks strictly, and works against the api', async () => {
    // As the partner did: the generator's own command, reading /docs-json from the running api (it loads
    // ES modules that jest's module system cannot, so it runs as its own process anyway).
    const generator = join(ROOT, 'node_modules', 'openapi-typescript', 'bin', 'cli.js');
    await run(generator, [`${url}/docs-json`, '--output', join(work, 'schema.d.ts')]);
    writeFileSync(join(work, 'client.ts'), CLIENT_PROGRAM);
    writeFileSync(join(work, 'mistyped.ts'), MISTYPED_PROGRAM);
    // The generated program resolves openapi-fetch as a partner's project would: from its node_modules.
    symlinkSync(join(ROOT, 'node_modules'), join(work, 'node_modules'), 'dir');

    const errors = typeCheck(work, ['client.ts', 'mistyped.ts']);
    // The check is not vacuous: a member read with the wrong type is refused.
    expect(errors['mistyped.ts']!.join('\n')).toMatch(/Type 'string' is not assignable to type 'number'/);
    delete errors['mistyped.ts'];
    expect(errors).toEqual({ 'client.ts': [] });

    const js = ts.transpileModule(CLIENT_PROGRAM, {
      compilerOptions: { target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.ES2022 },
    }).outputText;
    writeFileSync(join(work, 'client.mjs'), js);
    writeFileSync(
      join(work, 'main.mjs'),
      "import { run } from './client.mjs';\n" +
        'const [url, token, org] = process.argv.slice(2);\n' +
        'process.stdout.write(JSON.stringify(await run(url, token, org)));\n',
    );
    const outcome = JSON.parse(await run(join(work, 'main.mjs'), [url, adminToken, 'generated-client-bc']));

    expect(outcome).toEqual({
      registeredId: 'generated-client-bc',
      icoRegistration: 'Z7654321',
      refusal: {
        status: 400,
        title: 'Validation failed',
        type: 'https://accord.example/problems/validation-failed',
        correlationId: expect.any(String),
        pointers: ['/id'],
      },
      unauthenticated: { status: 401, title: expect.any(String) },
      registerTotal: 0,
      registerHtml: true,
    });
    // Generating, then checking the generated types and lib.dom strictly, takes a while on a busy machine.
  }, 180_000);

  it('the problems the api really sends match the documented Problem schema, errors[] included', async () => {
    const res = await fetch(`${url}/organisations`, {
      method: 'POST',
      headers: { authorization: `Bearer ${adminToken}`, 'content-type': 'application/json' },
      body: JSON.stringify({ id: 'x', name: '', kind: 'local-authority', jurisdiction: 'GB-ENG', extra: 1 }),
    });
    expect(res.status).toBe(400);
    const problem = await json(res);
    const schemas = doc.components.schemas;
    expect(violations(schemas.Problem, problem)).toEqual([]);
    expect(problem.errors.length).toBeGreaterThan(0);
    for (const e of problem.errors) expect(violations(schemas.ProblemFieldError, e)).toEqual([]);
    // Every member of this problem is documented: validation-failed's errors[] is no undeclared extension.
    expect(Object.keys(problem).filter((k) => !(k in schemas.Problem.properties))).toEqual([]);
  });
});

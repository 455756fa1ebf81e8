/**
 * The program a partner would write against a client generated from /docs-json: it is type-checked against
 * the generated `schema.d.ts` (strict), then transpiled and run against the api. Kept as text because it
 * is compiled in a temporary directory beside the generated types, not as part of this repository.
 *
 * The `Is<...>` tuple fails the type-check when the document regresses to what a partner once found:
 * `icoRegistration` typed as an object, error bodies as `{}`, the register's HTML typed as JSON, the
 * document content without a schema.
 */
export const CLIENT_PROGRAM = `
import createClient from 'openapi-fetch';
import type { components, paths } from './schema';

type Problem = components['schemas']['Problem'];
type Is<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
type Ok<P extends keyof paths, M extends keyof paths[P], S extends number> = paths[P][M] extends {
  responses: { [K in S]: { content: infer C } };
}
  ? C
  : never;
type ProblemOf<P extends keyof paths, M extends keyof paths[P], S extends number | 'default'> =
  paths[P][M] extends { responses: { [K in S]: { content: { 'application/problem+json': infer B } } } }
    ? B
    : never;

export const documentShapes: [
  Is<components['schemas']['NewOrganisationDto']['icoRegistration'], string | null | undefined>,
  Is<components['schemas']['OrganisationDto']['icoRegistration'], string | null>,
  Is<Ok<'/documents/{id}/content', 'get', 200>, { 'application/pgp-encrypted': string }>,
  Is<
    Ok<'/register', 'get', 200>,
    { 'application/json': components['schemas']['RegisterDto']; 'text/html': string; 'text/csv': string }
  >,
  Is<Ok<'/audit/events', 'get', 200>, { 'application/x-ndjson': string }>,
  Is<Ok<'/audit/documents/{id}/history', 'get', 200>['text/csv'], string>,
  Is<ProblemOf<'/organisations', 'post', 400>, Problem>,
  Is<ProblemOf<'/documents/{id}/content', 'get', 410>, Problem>,
  Is<ProblemOf<'/register', 'get', 'default'>, Problem>,
] = [true, true, true, true, true, true, true, true, true];

export interface Outcome {
  registeredId: string;
  icoRegistration: string | null;
  refusal: { status: number; title: string; type: string; correlationId: string; pointers: string[] };
  unauthenticated: { status: number; title: string };
  registerTotal: number;
  registerHtml: boolean;
}

/** Registers an organisation as the admin, reads it back, then reads the problems of two refusals. */
export async function run(baseUrl: string, adminToken: string, orgId: string): Promise<Outcome> {
  const admin = createClient<paths>({ baseUrl, headers: { authorization: 'Bearer ' + adminToken } });
  const anonymous = createClient<paths>({ baseUrl });

  const created = await admin.POST('/organisations', {
    body: {
      id: orgId,
      name: 'Generated Client Borough Council',
      kind: 'local-authority',
      jurisdiction: 'GB-ENG',
      icoRegistration: 'Z7654321',
    },
  });
  if (!created.data) throw new Error('registerOrganisation answered ' + created.response.status);
  const read = await admin.GET('/organisations/{org}', { params: { path: { org: created.data.id } } });
  if (!read.data) throw new Error('getOrganisation answered ' + read.response.status);
  const icoRegistration: string | null = read.data.icoRegistration;

  // Not a slug: the validation pipe refuses it with a problem listing the field.
  const refused = await admin.POST('/organisations', {
    body: { id: 'Not A Slug', name: 'x', kind: 'local-authority', jurisdiction: 'GB-ENG', icoRegistration: null },
  });
  if (!refused.error) throw new Error('an invalid organisation was registered');
  const problem: Problem = refused.error;
  const title: string = problem.title;

  const me = await anonymous.GET('/me');
  if (!me.error) throw new Error('/me answered without a token');

  // Negotiated: the body is the JSON register or the HTML page, so the client narrows it.
  const register = await anonymous.GET('/register');
  if (!register.data || typeof register.data === 'string') throw new Error('getRegister: no JSON register');
  const page = await anonymous.GET('/register', { headers: { accept: 'text/html' }, parseAs: 'text' });
  const html: string = String(page.data ?? '');

  return {
    registeredId: created.data.id,
    icoRegistration,
    refusal: {
      status: problem.status,
      title,
      type: problem.type,
      correlationId: problem.correlationId,
      pointers: (problem.errors ?? []).map((e) => e.pointer),
    },
    unauthenticated: { status: me.error.status, title: me.error.title },
    registerTotal: register.data.total,
    registerHtml: html.startsWith('<!DOCTYPE html>') || html.startsWith('<!doctype html>'),
  };
}
`;

/** A negative control: reading a member the Problem schema lacks must not type-check. */
export const MISTYPED_PROGRAM = `
import type { components } from './schema';
export const title: number = ({} as components['schemas']['Problem']).title;
`;

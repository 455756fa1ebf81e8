import { share } from '../../documents/support/documents-partnership';
import { buildPair, DocumentsPair, pairMetadata } from '../../documents/support/documents-pair';
import { AnyMatrixRow, Call, expectStatuses, row } from '../matrix';
import type { World } from '../world';

/**
 * Retention. Holds are for IG leads of the sender or a recipient: on the `own` side the document went from
 * the caller's organisation to `other`; on the `other` side from `other` to a third organisation, so the
 * caller's organisation is no party and reads 404. Each call gets a fresh document (a hold changes it).
 */
const pairs = new WeakMap<World, Partial<Record<'own' | 'other', Promise<DocumentsPair>>>>();

function pairOn(world: World, call: Call): Promise<DocumentsPair> {
  const bySide = pairs.get(world) ?? {};
  pairs.set(world, bySide);
  return (bySide[call.side] ??= (async () => {
    const [sender, recipient] =
      call.side === 'own'
        ? [world.org('own'), world.org('other')]
        : [world.org('other'), await world.newOrganisation('third')];
    return buildPair(world, sender, recipient);
  })());
}

async function freshDocument(world: World, call: Call, held: boolean): Promise<string> {
  const pair = await pairOn(world, call);
  const reply = await share(world.client(pair.sender.users.practitioner.token), pairMetadata(pair), 'matrix');
  if (reply.status !== 201) throw new Error(`matrix share failed: ${JSON.stringify(reply.body)}`);
  const id = reply.body.documentId as string;
  if (held)
    await world
      .client(pair.sender.users['ig-lead'].token)
      .ok('POST', `/documents/${id}/legal-hold`, 201, { body: { reason: 'matrix' } });
  return id;
}

const holders = { admin: 403, practitioner: 403, auditor: 403, anonymous: 401, 'ig-lead:other': 404 };

export const rows: AnyMatrixRow[] = [
  row({
    method: 'POST',
    path: '/documents/{id}/legal-hold',
    prepare: (world, call) => freshDocument(world, call, false),
    request: (_w, _c, id: string) => ({ path: `/documents/${id}/legal-hold`, body: { reason: 'inquiry' } }),
    expect: expectStatuses({ ...holders, 'ig-lead:own': 201 }),
  }),
  row({
    method: 'DELETE',
    path: '/documents/{id}/legal-hold',
    prepare: (world, call) => freshDocument(world, call, true),
    request: (_w, _c, id: string) => ({ path: `/documents/${id}/legal-hold`, body: { reason: 'settled' } }),
    expect: expectStatuses({ ...holders, 'ig-lead:own': 200 }),
  }),
  {
    method: 'GET',
    path: '/retention/schedule',
    request: () => ({ path: '/retention/schedule' }),
    expect: expectStatuses({ 'ig-lead': 200, admin: 403, practitioner: 403, auditor: 403, anonymous: 401 }),
  },
];

import { share } from '../../documents/support/documents-partnership';
import { buildPair, DocumentsPair, pairMetadata, sharePair } from '../../documents/support/documents-pair';
import { AnyMatrixRow, Call, expectStatuses, row } from '../matrix';
import type { World } from '../world';

/**
 * Documents. On the `own` side the document is one the caller's organisation sent (to `other`); on the
 * `other` side it went from `other` to a third organisation, so the caller's organisation has no part in it.
 * Sharing and opening carry no role guard: the share and open policies refuse (and record) admins and
 * auditors themselves. The matrix client sends JSON, so a share by a role that may share answers 415
 * (multipart required): the role passed, the body did not. Refusals by the policies' other rules are pinned
 * in test/documents.
 */
interface SideDocuments {
  pair: DocumentsPair;
  documentId: string;
}

const sides = new WeakMap<World, Partial<Record<'own' | 'other', Promise<SideDocuments>>>>();

function documentOn(world: World, call: Call): Promise<SideDocuments> {
  const bySide = sides.get(world) ?? {};
  sides.set(world, bySide);
  return (bySide[call.side] ??= (async () => {
    const [sender, recipient] =
      call.side === 'own'
        ? [world.org('own'), world.org('other')]
        : [world.org('other'), await world.newOrganisation('third')];
    const pair = await buildPair(world, sender, recipient);
    const reply = await share(world.client(sender.users.practitioner.token), pairMetadata(pair), 'matrix');
    if (reply.status !== 201) throw new Error(`matrix share failed: ${JSON.stringify(reply.body)}`);
    return { pair, documentId: reply.body.documentId as string };
  })());
}

export const rows: AnyMatrixRow[] = [
  {
    method: 'POST',
    path: '/documents',
    request: () => ({ path: '/documents', body: { metadata: 'not multipart' } }),
    expect: expectStatuses({ admin: 403, auditor: 403, 'ig-lead': 415, practitioner: 415, anonymous: 401 }),
    check: (reply, call) => {
      if (call.key.startsWith('auditor')) expect(reply.body.type).toMatch(/\/share\.user-role$/);
      if (call.key.startsWith('practitioner'))
        expect(reply.body.type).toMatch(/\/documents\.multipart-required$/);
    },
  },
  {
    method: 'GET',
    path: '/documents',
    request: () => ({ path: '/documents' }),
    expect: expectStatuses({ admin: 403, anonymous: 401, others: 200 }),
  },
  row({
    method: 'GET',
    path: '/documents/{id}',
    prepare: documentOn,
    request: (_w, _c, d: SideDocuments) => ({ path: `/documents/${d.documentId}` }),
    // Another organisation's document reads as not found.
    expect: expectStatuses({
      admin: 403,
      anonymous: 401,
      'ig-lead:other': 404,
      'practitioner:other': 404,
      'auditor:other': 404,
      others: 200,
    }),
  }),
  row({
    method: 'GET',
    path: '/documents/{id}/content',
    prepare: documentOn,
    request: (_w, _c, d: SideDocuments) => ({ path: `/documents/${d.documentId}/content` }),
    // Content for users of the sender and recipients only; admins and auditors never (each refusal recorded).
    expect: expectStatuses({
      admin: 403,
      auditor: 403,
      anonymous: 401,
      'ig-lead:other': 404,
      'practitioner:other': 404,
      others: 200,
    }),
  }),
  row({
    method: 'POST',
    path: '/documents/{id}/revocation',
    // A fresh document per call, shared by the own practitioner (or, on the other side, other's practitioner).
    prepare: async (world, call) => {
      const { pair } = await documentOn(world, call);
      const reply = await sharePair(world, pair);
      return reply.body.documentId as string;
    },
    request: (_w, _c, documentId: string) => ({
      path: `/documents/${documentId}/revocation`,
      body: { reason: 'sent to the wrong partner' },
    }),
    // The sharer or the sending organisation's IG lead; another organisation's document reads as not found.
    expect: expectStatuses({
      admin: 403,
      auditor: 403,
      anonymous: 401,
      'ig-lead:other': 404,
      'practitioner:other': 404,
      'ig-lead:own': 201,
      'practitioner:own': 201,
    }),
  }),
];

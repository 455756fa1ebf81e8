import { EVENT_STORE, EventStore } from '@accord/event-store';
import { share } from '../../documents/support/documents-partnership';
import { buildPair, pairMetadata } from '../../documents/support/documents-pair';
import { AnyMatrixRow, Call, expectStatuses, row } from '../matrix';
import type { World } from '../world';

/**
 * The verifiable log (issue 12): checkpoints, the key, proofs and POST /audit/verify are for every
 * authenticated user who has accepted the access agreement (partners and auditors are its witnesses). An
 * inclusion proof of an event is for users of an organisation the event involved: another organisation's
 * event answers 404, as if it did not exist.
 */

const proofFixtures = new WeakMap<World, Partial<Record<'own' | 'other', Promise<string>>>>();

/** The DocumentShared event id of a share from the side's organisation (own -> other, other -> a third). */
function sharedEventOn(world: World, call: Call): Promise<string> {
  const bySide = proofFixtures.get(world) ?? {};
  proofFixtures.set(world, bySide);
  return (bySide[call.side] ??= (async () => {
    const [sender, recipient] =
      call.side === 'own'
        ? [world.org('own'), world.org('other')]
        : [world.org('other'), await world.newOrganisation('proof-third')];
    const pair = await buildPair(world, sender, recipient);
    const reply = await share(
      world.client(sender.users.practitioner.token),
      pairMetadata(pair),
      'proof matrix',
    );
    if (reply.status !== 201) throw new Error(`matrix share failed: ${JSON.stringify(reply.body)}`);
    const events = await world.api.app
      .get<EventStore>(EVENT_STORE)
      .readStream(`document-${reply.body.documentId as string}`);
    return events[0]!.eventId;
  })());
}

const WITNESSES = expectStatuses({ admin: 403, others: 200, anonymous: 401 });

export const rows: AnyMatrixRow[] = [
  row({
    method: 'GET',
    path: '/audit/checkpoint',
    request: () => ({ path: '/audit/checkpoint' }),
    expect: WITNESSES,
  }),
  row({
    method: 'GET',
    path: '/audit/checkpoint/key',
    request: () => ({ path: '/audit/checkpoint/key' }),
    expect: WITNESSES,
  }),
  row({
    method: 'GET',
    path: '/audit/consistency',
    request: () => ({ path: '/audit/consistency?from=1&to=2' }),
    expect: WITNESSES,
  }),
  row({
    method: 'GET',
    path: '/audit/events/{eventId}/proof',
    prepare: (world, call) => sharedEventOn(world, call),
    request: (_world, _call, eventId: string) => ({ path: `/audit/events/${eventId}/proof` }),
    expect: expectStatuses({
      admin: 403,
      'ig-lead:own': 200,
      'practitioner:own': 200,
      'auditor:own': 200,
      'ig-lead:other': 404,
      'practitioner:other': 404,
      'auditor:other': 404,
      anonymous: 401,
    }),
  }),
  row({
    method: 'POST',
    path: '/audit/verify',
    prepare: async (world) =>
      (await world.client(world.org('own').users.auditor.token).ok('GET', '/audit/checkpoint', 200))
        .body as string,
    request: (_world, _call, checkpoint: string) => ({ path: '/audit/verify', body: { checkpoint } }),
    expect: WITNESSES,
  }),
];

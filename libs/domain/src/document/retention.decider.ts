import { assertNever } from '../errors';
import type {
  ExpireRetention,
  PlaceLegalHold,
  RecordPayloadDestroyed,
  ReleaseLegalHold,
} from './document.commands';
import { refuse } from './document.errors';
import type { DocumentEvent } from './document.events';
import type { DocumentState } from './document.state';

type RetentionCommand = PlaceLegalHold | ReleaseLegalHold | ExpireRetention | RecordPayloadDestroyed;

/**
 * Legal hold and storage limitation (UK GDPR Art 5(1)(e)). Destruction is two events around one side
 * effect: RetentionExpired commits to it before the object is deleted, PayloadDestroyed records that it
 * happened. Each step answers an idempotent repeat with no event, so the job re-run after a crash at any
 * point finishes without appending anything twice. A hold can no longer stop a destruction once
 * RetentionExpired is appended: the expected revision makes a hold and an expiry racing each other
 * serialise, and whichever comes second sees the other.
 */
export function retention(command: RetentionCommand, state: DocumentState): DocumentEvent[] {
  if (state.status !== 'shared') throw refuse('document.not-found');
  // An erasure destroys the payload too: erased, it is the one retention step still open.
  if (command.type === 'RecordPayloadDestroyed') {
    if (state.payloadDestroyed) return [];
    // A revocation commits to the destruction as an expiry does (docs/architecture.md §25).
    if (!state.retentionExpired && !state.erased && !state.revoked) throw refuse('retention.not-expired');
    return [{ type: 'PayloadDestroyed', data: { objectKey: state.document.objectKey } }];
  }
  if (state.erased) throw refuse('document.not-found');
  switch (command.type) {
    case 'PlaceLegalHold':
      if (state.retentionExpired) throw refuse('retention.already-expired');
      if (state.holdsBy.includes(command.data.orgId)) throw refuse('retention.hold-already-placed');
      return [{ type: 'LegalHoldPlaced', data: { ...command.data } }];
    case 'ReleaseLegalHold':
      // Only the organisation that placed a hold releases it.
      if (!state.holdsBy.includes(command.data.orgId)) throw refuse('retention.hold-not-placed');
      return [{ type: 'LegalHoldReleased', data: { ...command.data } }];
    case 'ExpireRetention': {
      if (state.retentionExpired) return [];
      if (state.legalHold) throw refuse('retention.on-legal-hold');
      const { retainUntil } = state.document;
      if (Date.parse(retainUntil) > command.metadata.now.getTime()) throw refuse('retention.not-due');
      return [{ type: 'RetentionExpired', data: { retainUntil } }];
    }
    default:
      return assertNever(command, 'retention command');
  }
}

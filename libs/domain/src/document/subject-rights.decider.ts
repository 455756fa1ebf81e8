import { assertNever } from '../errors';
import type {
  EraseDocument,
  LiftRestriction,
  RestrictProcessing,
  SupersedeDocument,
} from './document.commands';
import { refuse } from './document.errors';
import type { DocumentEvent } from './document.events';
import { type DocumentState, liftsOwn } from './document.state';

type SubjectRightsCommand = RestrictProcessing | LiftRestriction | EraseDocument | SupersedeDocument;

/**
 * A document's side of data-subject requests. Each step answers an idempotent repeat with no event, so a
 * request retried after a crash finishes without recording anything twice. An erased document takes no
 * further request (its erasure is final); a restriction is lifted by the organisation that applied it, so
 * one partner's dispute is not ended by another.
 */
export function subjectRights(command: SubjectRightsCommand, state: DocumentState): DocumentEvent[] {
  if (state.status !== 'shared') throw refuse('document.not-found');
  switch (command.type) {
    case 'EraseDocument':
      return state.erased ? [] : [{ type: 'DocumentErased', data: { requestId: command.data.requestId } }];
    case 'RestrictProcessing':
      if (state.erased) throw refuse('document.not-found');
      // Each organisation's restriction stands on its own, beside another's (its own lift ends it alone).
      return state.restrictedBy.includes(command.data.orgId)
        ? []
        : [{ type: 'ProcessingRestricted', data: { ...command.data } }];
    case 'LiftRestriction':
      if (state.erased) throw refuse('document.not-found');
      if (!state.restricted) return [];
      if (!liftsOwn(state, command.data.orgId)) throw refuse('restriction.other-organisation');
      return [{ type: 'RestrictionLifted', data: { ...command.data } }];
    case 'SupersedeDocument': {
      if (state.erased) throw refuse('document.not-found');
      const { supersededBy, requestId } = command.data;
      if (state.supersededBy === supersededBy) return [];
      if (state.supersededBy !== undefined) throw refuse('document.already-superseded');
      const { agreementId, recipients } = state.document;
      return [
        {
          type: 'DocumentSuperseded',
          data: { supersededBy, requestId, agreementId, recipients: [...recipients] },
        },
      ];
    }
    default:
      return assertNever(command, 'subject rights command');
  }
}

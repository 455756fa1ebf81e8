import { Catch } from '@nestjs/common';
import { breachDecider, breachStreamId, isInvolvedIn } from '@accord/domain';
import { fold } from '@accord/platform';
import { RefusalRecordingFilter } from '../shared/refusal-recording.filter';

/**
 * A refused action on a breach, recorded as every refused action is (RefusalRecordingFilter). When the
 * caller's organisation is involved in the breach, its reporter's audit readers see the attempt too; an
 * outsider's record names no one, so it tells the outsider's organisation nothing the 404 did not.
 */
@Catch()
export class BreachRefusalFilter extends RefusalRecordingFilter {
  protected override async involved(breachId: string, orgId: string | null): Promise<string[]> {
    if (orgId === null) return [];
    const state = fold(breachDecider, await this.store.readStream(breachStreamId(breachId)));
    if (state.status === 'none' || !isInvolvedIn(state, orgId) || state.reportedBy === orgId) return [];
    return [state.reportedBy];
  }
}

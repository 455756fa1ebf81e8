import { createHmac } from 'node:crypto';
import { emailClaimStreamId, fail, userDecider, userStreamId } from '@accord/domain';
import { EventMetaInput, EventStore, WrongExpectedRevisionError } from '@accord/event-store';
import { fold } from './command-runner';

/** A claim whose user was never enrolled (its process died between the two appends) lapses after this. */
export const EMAIL_CLAIM_LAPSE_MS = 60_000;

const alreadyEnrolled = () =>
  fail('user.already-enrolled', 'a user with this email address is already enrolled');

/** The claim stream of a lower-cased address: named by its HMAC, never by the address. */
export function emailClaimStreamOf(platformSecret: string, email: string): string {
  return emailClaimStreamId(
    createHmac('sha256', platformSecret).update(`email:${email}`, 'utf8').digest('hex'),
  );
}

export interface EmailClaim {
  platformSecret: string;
  /** Lower-cased and trimmed, as the user decider stores it. */
  email: string;
  userId: string;
  eventId: string;
  meta: EventMetaInput;
}

/**
 * One email address, one user, under races (docs/architecture.md §19.3). The directory's check reads a read
 * model, which locks nothing: two enrolments of one address both passed it. Each enrolment first appends
 * `UserEmailClaimed {userId}` to the address's claim stream at the revision it read ('no-stream' for a new
 * address), so of two racing enrolments one append fails and that enrolment is refused before its user is.
 * Every enrolment claims, the api's and `accord admin init`'s alike: a first admin without a claim left its
 * address to the read model alone, which a node that had not projected the admin yet did not know.
 * The stream is named by HMAC-SHA256(platform secret, "email:" + lower-cased address), as subject references
 * are (§5.5): never the address, which is personal data, nor a plain hash of it, which a list of addresses
 * would reverse. Users are never removed and their email never changes, so no claim is ever released; a
 * claim counts only while its user holds that address, so one left by a refused or crashed enrolment is
 * taken over.
 */
export async function claimEmail(store: EventStore, claim: EmailClaim): Promise<void> {
  const { email, userId, meta } = claim;
  const streamId = emailClaimStreamOf(claim.platformSecret, email);
  const last = (await store.readStream(streamId)).at(-1);
  if (last) {
    const holder = String(last.data['userId']);
    // A retry of this enrolment (its user id derives from the Idempotency-Key) holds the claim already.
    if (holder === userId) return;
    const state = fold(userDecider, await store.readStream(userStreamId(holder)));
    if (state.status !== 'none' && state.email === email) throw alreadyEnrolled();
    // Its user not enrolled yet: a racing enrolment, unless the claim is old enough to be abandoned.
    const age = Date.parse(meta.occurredAt) - Date.parse(last.meta.occurredAt);
    if (state.status === 'none' && age < EMAIL_CLAIM_LAPSE_MS) throw alreadyEnrolled();
  }
  try {
    await store.append(
      streamId,
      [{ eventId: claim.eventId, type: 'UserEmailClaimed', data: { userId }, meta }],
      last ? last.revision : 'no-stream',
    );
  } catch (error) {
    if (error instanceof WrongExpectedRevisionError) throw alreadyEnrolled();
    throw error;
  }
}

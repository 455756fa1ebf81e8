import { Event } from '../shared/decider';
import { Jurisdiction } from '../vocabularies/jurisdictions';
import { OrganisationKind } from '../vocabularies/organisation-kinds';

/** Stream `organisation-{id}`. The id is the stream's, so it is not repeated in the data. */
export type OrganisationRegistered = Event<
  'OrganisationRegistered',
  {
    name: string;
    kind: OrganisationKind;
    jurisdiction: Jurisdiction;
    /** Null only for a non-UK organisation, which the ICO does not register. */
    icoRegistration: string | null;
  }
>;

/** The key was parsed and checked outside the domain (libs/crypto); these are the facts it established. */
export type OrganisationKeyAdded = Event<
  'OrganisationKeyAdded',
  {
    /** Lower-case hex: 40 digits for a v4 key, 64 for v6. */
    fingerprint: string;
    /** ASCII-armored public key, as uploaded. */
    publicKey: string;
    algorithm: string;
    bits?: number;
    expiresAt?: string;
  }
>;

export type OrganisationKeyRevoked = Event<'OrganisationKeyRevoked', { fingerprint: string; reason: string }>;

export type OrganisationEvent = OrganisationRegistered | OrganisationKeyAdded | OrganisationKeyRevoked;

import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventMetaInput, EventStore } from '@accord/event-store';
import { ACCORD_CONFIG, claimEmail, IdGenerator, LoadedConfig } from '@accord/platform';

/** The api's side of `claimEmail` (libs/platform email-claim.ts): this node's store, secret and ids. */
@Injectable()
export class EmailClaims {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(ACCORD_CONFIG) private readonly config: LoadedConfig,
    private readonly ids: IdGenerator,
  ) {}

  /** `email` lower-cased and trimmed, as the user decider stores it. */
  claim(email: string, userId: string, meta: EventMetaInput): Promise<void> {
    return claimEmail(this.store, {
      platformSecret: this.config.platformSecret,
      email,
      userId,
      eventId: this.ids.newId(),
      meta,
    });
  }
}

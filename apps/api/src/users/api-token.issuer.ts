import { Inject, Injectable } from '@nestjs/common';
import { uuidv5 } from '@accord/event-store';
import {
  ACCORD_CONFIG,
  derivedApiToken,
  Idempotency,
  IdGenerator,
  IssuedApiToken,
  LoadedConfig,
  newApiToken,
} from '@accord/platform';

type Idem = Pick<Idempotency, 'key' | 'scope'>;

/**
 * New tokens and user ids. With an Idempotency-Key both derive from it (the token with the platform
 * secret), so a retried request answers with the very token and user id of the first.
 */
@Injectable()
export class ApiTokenIssuer {
  constructor(
    @Inject(ACCORD_CONFIG) private readonly config: LoadedConfig,
    private readonly ids: IdGenerator,
  ) {}

  token(idem: Idem): IssuedApiToken {
    return idem.key === undefined
      ? newApiToken()
      : derivedApiToken(this.config.platformSecret, idem.scope, idem.key);
  }

  userId(idem: Idem): string {
    return idem.key === undefined ? this.ids.newId() : uuidv5(`user|${idem.scope}|${idem.key}`);
  }
}

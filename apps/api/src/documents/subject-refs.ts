import { createHmac } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { normaliseSubject, subjectRefInput } from '@accord/domain';
import { ACCORD_CONFIG, LoadedConfig } from '@accord/platform';

/**
 * docs/architecture.md §5.5: `subjectRef = HMAC-SHA256(platform secret, scheme + ":" + normalised value)`.
 * The identifier is validated by the domain first (an NHS number's modulus-11 check: 422
 * subject.nhs-number-invalid), so a typo never becomes a reference to nobody. The raw value goes no further.
 */
@Injectable()
export class SubjectRefs {
  constructor(@Inject(ACCORD_CONFIG) private readonly config: LoadedConfig) {}

  refOf(scheme: unknown, value: unknown): string {
    return createHmac('sha256', this.config.platformSecret)
      .update(subjectRefInput(normaliseSubject(scheme, value)), 'utf8')
      .digest('hex');
  }

  /** `scheme:value` as the list filter takes it; the scheme is everything before the first colon. */
  refOfFilter(filter: string): string {
    const colon = filter.indexOf(':');
    return colon < 0 ? this.refOf(filter, '') : this.refOf(filter.slice(0, colon), filter.slice(colon + 1));
  }
}

import { fail } from '@accord/domain';
import { UuidIdPipe, writeRouteDecorator } from '../shared/write-route';

export { writeContext } from '../shared/write-route';

export const AgreementIdPipe = UuidIdPipe(() => fail('agreement.not-found'));

/** OpenAPI for a state-changing agreement route: bearer auth, Idempotency-Key, the problems it answers. */
export const AgreementWrite = writeRouteDecorator(
  'auth.forbidden-role, auth.other-organisation, agreement.not-a-party',
  'agreement.not-found',
);

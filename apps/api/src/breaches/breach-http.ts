import { breachFail } from '@accord/domain';
import { UuidIdPipe, writeRouteDecorator } from '../shared/write-route';

export { writeContext as breachContext } from '../shared/write-route';

export const BreachIdPipe = UuidIdPipe(() => breachFail('breach.not-found'));

/** OpenAPI for a state-changing breach route: bearer auth, Idempotency-Key, the problems it answers. */
export const BreachWrite = writeRouteDecorator(
  'auth.forbidden-role, breach.not-reporter, breach.not-a-party',
  'breach.not-found',
);

import { randomUUID } from 'node:crypto';
import type { EventMetaInput } from '@accord/event-store';

/**
 * The envelope meta of an event the platform appends on its own schedule (docs/architecture.md §5.2: `actor:
 * { system }`): no request carries it, so it starts a correlation of its own.
 */
export function systemMeta(system: string, now: Date): EventMetaInput {
  return { occurredAt: now.toISOString(), actor: { system }, correlationId: randomUUID() };
}

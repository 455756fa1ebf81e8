import { Inject, Injectable } from '@nestjs/common';
import { EVENT_STORE, EventStore, EventMetaInput, JsonObject } from '@accord/event-store';
import { CommandOutcome, Idempotency, ReadYourWrites, runCommand, StreamDecider } from '@accord/platform';

/**
 * runCommand (load, fold, decide, append at the expected revision, replay an Idempotency-Key retry), then
 * wait until this node's read models include the append, so the client's next read sees its write.
 */
@Injectable()
export class SettledCommandRunner {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly readYourWrites: ReadYourWrites,
  ) {}

  async run<S, C, E extends { type: string; data: JsonObject }>(
    streamId: string,
    decider: StreamDecider<S, C, E>,
    command: C,
    meta: EventMetaInput,
    idempotency: Pick<Idempotency, 'key' | 'scope'>,
    attempts?: number,
  ): Promise<CommandOutcome<S, E>> {
    const outcome = await runCommand(this.store, streamId, decider, command, {
      meta,
      ...(idempotency.key !== undefined ? { idempotencyKey: idempotency.key, scope: idempotency.scope } : {}),
      ...(attempts !== undefined ? { attempts } : {}),
    });
    if (outcome.position > 0) await this.readYourWrites.settle(outcome.position);
    return outcome;
  }
}

import { Inject, Injectable } from '@nestjs/common';
import {
  DocumentCommand,
  documentDecider,
  DocumentEvent,
  DocumentState,
  documentStreamId,
} from '@accord/domain';
import { EVENT_STORE, EventMetaInput, EventStore } from '@accord/event-store';
import { Clock, CommandOutcome, fold, Idempotency, runCommand, systemMeta } from '@accord/platform';

/**
 * Document streams for retention: decisions rest on the event store, never on the read model, which may
 * lag behind a hold that was just placed.
 */
@Injectable()
export class RetentionWriter {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    private readonly clock: Clock,
  ) {}

  async document(documentId: string): Promise<DocumentState> {
    return fold(documentDecider, await this.store.readStream(documentStreamId(documentId)));
  }

  run(
    documentId: string,
    command: DocumentCommand,
    meta: EventMetaInput,
    idempotency?: Idempotency,
  ): Promise<CommandOutcome<DocumentState, DocumentEvent>> {
    return runCommand(this.store, documentStreamId(documentId), documentDecider, command, {
      meta,
      ...(idempotency?.key !== undefined
        ? { idempotencyKey: idempotency.key, scope: idempotency.scope }
        : {}),
    });
  }

  /**
   * The platform acting on its own schedule (docs/architecture.md §5.2: `actor: { system: "retention" }`).
   */
  systemMeta(): EventMetaInput {
    return systemMeta('retention', this.clock.now());
  }
}

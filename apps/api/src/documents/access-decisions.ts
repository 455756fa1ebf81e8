import {
  DocumentCommand,
  documentDecider,
  DocumentEvent,
  DocumentState,
  documentStreamId,
} from '@accord/domain';
import {
  EventMetaInput,
  EventStore,
  eventIdsFor,
  NewEvent,
  WrongExpectedRevisionError,
} from '@accord/event-store';
import { CommandOutcome, RECORD_ATTEMPTS, StreamFolds } from '@accord/platform';

interface Pending {
  command: DocumentCommand;
  meta: EventMetaInput;
  resolve: (outcome: CommandOutcome<DocumentState, DocumentEvent>) => void;
  reject: (error: unknown) => void;
}

/**
 * What an open was decided on that lives on other streams than the document's (the agreement, the user's
 * suspension and training, their teams), read again: given the commands of a round, the same commands on
 * the state those streams are in now.
 */
export type RefreshCommands = (
  commands: readonly DocumentCommand[],
  document: DocumentState,
) => Promise<DocumentCommand[]>;

/**
 * Access decisions on document streams (opens, refused metadata reads): each request gets its own answer
 * and its own record, never a 409 (issue 12 §2; docs/architecture.md).
 *
 * The requests for one document that arrive while an append to it is in flight queue up; the next round
 * takes the stream's state (the fold remembered from the last read or append, which the handler's own read
 * has usually just brought up to date), decides each queued request in arrival order on it (folding each
 * decision in before the next), and appends all their events in one append at the revision that state is
 * at. So every record sits immediately after the state it was decided on, and a hot document costs one
 * durable commit per round, not per open. A round that loses the race to another writer
 * (another node, or the retention worker) reads again and decides every request again, up to
 * RECORD_ATTEMPTS times: a restriction, erasure or destruction appended meanwhile is then seen, and refuses.
 */
export class AccessDecisions {
  private readonly queues = new Map<string, Pending[]>();
  /**
   * The folded state of recently decided documents, by stream, at the revision it was folded to: a round
   * reads only the events appended since (events never change), so a hot document with a long history of
   * accesses costs a short read, not a fold of its whole stream.
   */
  private readonly folded: StreamFolds<DocumentState, DocumentCommand, DocumentEvent>;

  constructor(
    private readonly store: EventStore,
    private readonly refresh: RefreshCommands = (commands) => Promise.resolve([...commands]),
  ) {
    this.folded = new StreamFolds(store, documentDecider);
  }

  decide(
    documentId: string,
    command: DocumentCommand,
    meta: EventMetaInput,
  ): Promise<CommandOutcome<DocumentState, DocumentEvent>> {
    const streamId = documentStreamId(documentId);
    return new Promise((resolve, reject) => {
      const queue = this.queues.get(streamId);
      const pending = { command, meta, resolve, reject };
      if (queue) return void queue.push(pending);
      this.queues.set(streamId, [pending]);
      void this.drain(streamId);
    });
  }

  private async drain(streamId: string): Promise<void> {
    for (;;) {
      const batch = this.queues.get(streamId)!.splice(0);
      if (batch.length === 0) {
        this.queues.delete(streamId);
        return;
      }
      try {
        await this.round(streamId, batch);
      } catch (error) {
        for (const p of batch) p.reject(error);
      }
    }
  }

  /** A document's state as the event store has it now (the remembered fold plus the events since). */
  async state(documentId: string): Promise<DocumentState> {
    return (await this.folded.current(documentStreamId(documentId))).state;
  }

  private async round(streamId: string, batch: Pending[]): Promise<void> {
    for (let attempt = 1; ; attempt++) {
      // The first attempt decides on the fold remembered from the last read (the handler has usually just
      // read the stream to decide whether to open the object): the append names that revision, so if anything
      // landed since, it fails and the next attempt reads what it missed. One read per open, not two.
      const remembered = attempt === 1 ? this.folded.remembered(streamId) : undefined;
      const {
        state: current,
        revision: read,
        position: at,
      } = remembered ?? (await this.folded.current(streamId));
      // Read after the document's own state: a suspension, team removal or the like acknowledged before this
      // point is seen, one landing after it is ordered after the round's append unless that append fails.
      const commands = await this.refresh(
        batch.map((p) => p.command),
        current,
      );
      let state = current;
      const decided: ({ events: DocumentEvent[]; state: DocumentState } | { error: unknown })[] = [];
      const events: NewEvent[] = [];
      for (const [i, p] of batch.entries()) {
        try {
          const mine = documentDecider.decide(commands[i]!, state);
          for (const e of mine) state = documentDecider.evolve(state, e);
          const ids = eventIdsFor(mine.length);
          mine.forEach((e, i) => events.push({ eventId: ids[i]!, type: e.type, data: e.data, meta: p.meta }));
          decided.push({ events: mine, state });
        } catch (error) {
          decided.push({ error });
        }
      }
      let position = at;
      let revision = read;
      if (events.length > 0) {
        try {
          const result = await this.store.append(streamId, events, read >= 0 ? read : 'no-stream');
          position = result.position;
          revision = result.nextExpectedRevision;
          this.folded.remember(streamId, { state, revision, position });
        } catch (error) {
          if (!(error instanceof WrongExpectedRevisionError) || attempt >= RECORD_ATTEMPTS) throw error;
          // A remembered fold that was behind is not contention: read what it missed at once.
          if (remembered) continue;
          await sleep(Math.random() * Math.min(50, 2 ** attempt));
          continue;
        }
      }
      batch.forEach((p, i) => {
        const d = decided[i]!;
        if ('error' in d) p.reject(d.error);
        else p.resolve({ events: d.events, state: d.state, position, revision, replayed: false });
      });
      return;
    }
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

import { createHash } from 'node:crypto';
import { Inject, Injectable } from '@nestjs/common';
import { idOfStream } from '@accord/domain';
import {
  ChainBreak,
  Checkpoint,
  EVENT_STORE,
  EventStore,
  LogVerifyResult,
  VERIFIABLE_LOG,
  VerifiableLog,
  verifyEventStore,
  verifyLog,
} from '@accord/event-store';
import { OBJECT_STORE, ObjectNotFoundError, ObjectStore } from '@accord/object-store';
import { READ_DB } from '@accord/platform';
import { auditInvolves, ReadDb } from '@accord/projections';
import type { AuditScope } from './audit-scope';
import { Checkpoints } from './log/checkpoints.service';

export interface BadObject {
  documentId: string;
  objectKey: string;
  /**
   * `sha256-mismatch`: the bytes are not the ones shared; `missing`: no object although never destroyed;
   * `destroyed-but-present`: PayloadDestroyed recorded, yet the object or a version of it is still stored;
   * `destruction-unconfirmed`: PayloadDestroyed recorded, and the store cannot say that nothing is left.
   */
  reason: 'sha256-mismatch' | 'missing' | 'unreadable' | 'destroyed-but-present' | 'destruction-unconfirmed';
  expectedSha256: string;
  actualSha256?: string;
}

export interface IntegrityReport {
  ok: boolean;
  eventsChecked: number;
  streams: number;
  /** The first event, in log order, that does not fit its stream's chain (when within the caller's scope). */
  firstBadEvent?: ChainBreak;
  /** A break exists but involves none of the caller's organisation's events (no id is shown). */
  breakOutsideScope?: boolean;
  objectsChecked: number;
  /** Destroyed payloads confirmed absent (no object, no version left). */
  destroyedChecked: number;
  badObjects: BadObject[];
  /**
   * The log against its Merkle tree, every checkpoint the platform signed, the `streams` table and (POST
   * /audit/verify) the caller's checkpoint. Outside a platform auditor's scope, problems name no event.
   */
  log: LogVerifyResult;
}

interface SharedObject {
  documentId: string;
  objectKey: string;
  sha256: string;
  position: number;
  destroyed: boolean;
}

/**
 * GET /audit/verify: every hash chain recomputed (verifyEventStore), then every live document's object read
 * back, streaming, and hashed against the SHA-256 its DocumentShared recorded. Every destroyed payload is
 * checked to be absent, every version of it included (docs/architecture.md §7): a PayloadDestroyed whose
 * object is still there is as much a break of the record as a changed byte. Chains are always checked whole (a chain cannot be checked
 * in part); what is reported is cut to the caller's scope: an organisation's auditor is told of a break
 * elsewhere, without its ids, and their objects are the ones checked.
 */
@Injectable()
export class AuditIntegrity {
  constructor(
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(OBJECT_STORE) private readonly objects: ObjectStore,
    @Inject(READ_DB) private readonly db: ReadDb,
    @Inject(VERIFIABLE_LOG) private readonly merkle: VerifiableLog,
    private readonly checkpoints: Checkpoints,
  ) {}

  /** `held`: a checkpoint a witness holds, already opened with the platform's key. */
  async verify(scope: AuditScope, held?: Checkpoint): Promise<IntegrityReport> {
    // The chains first, through the store's own fastest check (the SQLite adapter hashes its stored text).
    const chains = await verifyEventStore(this.store);
    // Then the tree: this sees what chains cannot (a stream's tail, a whole stream or the log's tail gone,
    // events moved between positions, a rewrite with fresh chain hashes that no signed root agrees with).
    const log = await verifyLog(this.merkle, {
      key: this.checkpoints.verifierKey,
      ...(held ? { held } : {}),
    });
    if (scope !== null) {
      log.problems = log.problems.map(({ reason, size }) => ({
        reason,
        ...(size !== undefined ? { size } : {}),
      }));
    }
    const broken = chains.firstBadEvent;
    const brokenInScope = broken && (scope === null || auditInvolves(this.db, scope, broken.position));
    const badObjects: BadObject[] = [];
    let objectsChecked = 0;
    let destroyedChecked = 0;
    for (const shared of await this.sharedObjects()) {
      if (scope !== null && !auditInvolves(this.db, scope, shared.position)) continue;
      if (shared.destroyed) destroyedChecked += 1;
      else objectsChecked += 1;
      const bad = shared.destroyed ? await this.checkDestroyed(shared) : await this.checkObject(shared);
      if (bad) badObjects.push(bad);
    }
    return {
      ok: chains.ok && badObjects.length === 0 && log.ok,
      eventsChecked: chains.eventsChecked,
      streams: chains.streams,
      ...(broken && brokenInScope ? { firstBadEvent: { ...broken } } : {}),
      ...(broken && !brokenInScope ? { breakOutsideScope: true } : {}),
      objectsChecked,
      destroyedChecked,
      badObjects,
      log,
    };
  }

  /**
   * Each document's object and the SHA-256 its DocumentShared recorded, read from the events (never from a
   * read model, which is not evidence), marked destroyed once PayloadDestroyed follows. Only those two
   * event types are decoded.
   */
  private async sharedObjects(): Promise<SharedObject[]> {
    const shared = new Map<string, SharedObject>();
    for await (const page of this.store.readAll()) {
      for (const e of page) {
        if (e.type === 'DocumentShared') {
          const { objectKey, sha256 } = e.data;
          if (typeof objectKey !== 'string' || typeof sha256 !== 'string') continue;
          const documentId = idOfStream('document', e.streamId);
          shared.set(e.streamId, { documentId, objectKey, sha256, position: e.position, destroyed: false });
        } else if (e.type === 'PayloadDestroyed') {
          const known = shared.get(e.streamId);
          if (known) known.destroyed = true;
        }
      }
    }
    return [...shared.values()];
  }

  private async checkDestroyed(shared: SharedObject): Promise<BadObject | undefined> {
    const about = {
      documentId: shared.documentId,
      objectKey: shared.objectKey,
      expectedSha256: shared.sha256,
    };
    try {
      return (await this.objects.isAbsent(shared.objectKey))
        ? undefined
        : { ...about, reason: 'destroyed-but-present' };
    } catch {
      return { ...about, reason: 'destruction-unconfirmed' };
    }
  }

  private async checkObject(shared: SharedObject): Promise<BadObject | undefined> {
    const about = {
      documentId: shared.documentId,
      objectKey: shared.objectKey,
      expectedSha256: shared.sha256,
    };
    try {
      const hash = createHash('sha256');
      for await (const chunk of await this.objects.get(shared.objectKey)) hash.update(chunk as Buffer);
      const actual = hash.digest('hex');
      return actual === shared.sha256
        ? undefined
        : { ...about, reason: 'sha256-mismatch', actualSha256: actual };
    } catch (error) {
      return { ...about, reason: error instanceof ObjectNotFoundError ? 'missing' : 'unreadable' };
    }
  }
}

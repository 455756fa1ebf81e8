import { Inject, Injectable, OnApplicationBootstrap, OnApplicationShutdown } from '@nestjs/common';
import { DOCUMENT_OBJECT_PREFIX, isDocumentRefusal } from '@accord/domain';
import { OBJECT_STORE, ObjectStore } from '@accord/object-store';
import { ACCORD_CONFIG, AppLogger, Clock, LoadedConfig, READ_DB, systemMeta } from '@accord/platform';
import { documentIdForObject, ReadDb } from '@accord/projections';
import { DocumentWriter } from './document-writer';

export interface SweepResult {
  /** Objects old enough to judge. */
  checked: number;
  deleted: number;
}

/** `documents/<documentId>.<uploadId>` (see ShareDocumentHandler). */
const OBJECT_KEY = /^documents\/([0-9a-f-]{36})\.[0-9a-f-]{36}$/;

/**
 * Deletes objects no DocumentShared points at: uploads whose process died between the object write and
 * the event (docs/architecture.md §18.3, "an event never points at a missing object", the converse kept
 * tidy). Only objects older than ORPHAN_GRACE_MS are judged, so a share still streaming is never touched.
 *
 * The read model is a fast filter; the event store decides. Before deleting, the reconciler appends
 * OrphanPayloadDeleted to the document's stream at the revision it read (the event before its side
 * effect, docs/architecture.md §20.9). A share racing it either appended first (the claim is refused: not an
 * orphan) or finds the claim and refuses itself, so no DocumentShared can ever name a deleted object. A crash
 * between the claim and the delete is finished by the next sweep (the claim's id derives from the key: no
 * duplicate).
 */
@Injectable()
export class OrphanReconciler implements OnApplicationBootstrap, OnApplicationShutdown {
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<SweepResult> | undefined;

  constructor(
    private readonly writer: DocumentWriter,
    @Inject(OBJECT_STORE) private readonly objects: ObjectStore,
    @Inject(READ_DB) private readonly db: ReadDb,
    @Inject(ACCORD_CONFIG) private readonly config: LoadedConfig,
    private readonly clock: Clock,
    private readonly logger: AppLogger,
  ) {}

  onApplicationBootstrap(): void {
    const every = this.config.documents.orphanSweepIntervalMs;
    this.timer = setInterval(() => void this.sweep().catch(() => undefined), every);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.running?.catch(() => undefined);
  }

  /** One pass; concurrent calls share it. */
  sweep(): Promise<SweepResult> {
    this.running ??= this.pass().finally(() => (this.running = undefined));
    return this.running;
  }

  private async pass(): Promise<SweepResult> {
    const cutoff = this.clock.now().getTime() - this.config.documents.orphanGraceMs;
    const result: SweepResult = { checked: 0, deleted: 0 };
    try {
      for await (const object of this.objects.list(DOCUMENT_OBJECT_PREFIX)) {
        if (object.lastModified.getTime() > cutoff) continue;
        result.checked++;
        if (documentIdForObject(this.db, object.key) !== undefined) continue;
        const documentId = OBJECT_KEY.exec(object.key)?.[1];
        // Not a key this api writes: someone else's object, left alone.
        if (documentId === undefined) continue;
        if (await this.claim(documentId, object.key)) {
          await this.objects.delete(object.key);
          result.deleted++;
        }
      }
    } catch (error) {
      this.logger.error('orphan sweep failed', { err: error });
      throw error;
    }
    if (result.deleted > 0) this.logger.warn('orphaned document objects deleted', { ...result });
    return result;
  }

  /** True when the stream now records the object as an orphan (now or by an earlier, interrupted sweep). */
  private async claim(documentId: string, objectKey: string): Promise<boolean> {
    const now = this.clock.now();
    try {
      await this.writer.run(
        documentId,
        { type: 'DeleteOrphanPayload', data: { objectKey }, metadata: { now } },
        systemMeta('orphan-reconciler', now),
        { key: objectKey, scope: 'orphan-reconciler' },
      );
      return true;
    } catch (error) {
      // DocumentShared names it after all (the read model was behind): not an orphan.
      if (isDocumentRefusal(error) && error.reason === 'document.already-shared') return false;
      throw error;
    }
  }
}

import type { EventStore, NewEvent } from '@accord/event-store';
import type { ObjectStore } from '@accord/object-store';
import { AppLogger, Clock } from '@accord/platform';
import { FaultInjector } from '../../apps/api/src/shared/fault-injector';
import { DestroyDocumentJob } from '../../apps/api/src/retention/destroy-document.job';
import { DestructionIncidents } from '../../apps/api/src/retention/destruction-incidents';
import { RetentionWriter } from '../../apps/api/src/retention/retention-writer';
import { buildRetentionWorld, retentionCounts, RetentionWorld } from './support/retention-world';

const MINUTE = 60_000;

/**
 * The destroy job killed between its steps, then run again: it must finish and append each event once
 * (docs/architecture.md §20.9). The failure is injected by wrapping the api's REAL stores, so everything that
 * does happen is really stored; only the one call named throws, once.
 */
describe('retention: the destroy job is crash-safe', () => {
  let w: RetentionWorld;

  beforeAll(async () => {
    w = await buildRetentionWorld();
  });
  afterAll(() => w?.close());

  const jobWith = (store: EventStore, objects: ObjectStore): DestroyDocumentJob =>
    new DestroyDocumentJob(
      new RetentionWriter(store, w.api.app.get(Clock)),
      objects,
      w.api.app.get(AppLogger),
      w.api.app.get(FaultInjector),
      w.api.app.get(DestructionIncidents),
    );

  /** The real store, except that appending an event of `type` throws the first time. */
  function failingOnceOn(type: string): EventStore {
    let failed = false;
    return new Proxy(w.store, {
      get(target, prop, receiver) {
        if (prop !== 'append') return Reflect.get(target, prop, receiver) as unknown;
        return (streamId: string, events: readonly NewEvent[], expected: unknown) => {
          if (!failed && events.some((e) => e.type === type)) {
            failed = true;
            return Promise.reject(new Error(`injected crash before appending ${type}`));
          }
          return (target.append as (...a: unknown[]) => unknown)(streamId, events, expected);
        };
      },
    });
  }

  /** The real object store, except that the first delete throws before deleting anything. */
  function deleteFailingOnce(): ObjectStore {
    let failed = false;
    return new Proxy(w.objects, {
      get(target, prop, receiver) {
        if (prop !== 'delete') return Reflect.get(target, prop, receiver) as unknown;
        return (key: string) => {
          if (!failed) {
            failed = true;
            return Promise.reject(new Error('injected crash before the delete'));
          }
          return target.delete(key);
        };
      },
    });
  }

  async function expiredDocument(): Promise<{ documentId: string; objectKey: string }> {
    const shared = await w.shareDocument(MINUTE);
    w.advance(2 * MINUTE);
    return shared;
  }

  it('object deleted but PayloadDestroyed not yet appended: the re-run appends it once and nothing else', async () => {
    const { documentId, objectKey } = await expiredDocument();
    await expect(jobWith(failingOnceOn('PayloadDestroyed'), w.objects).run(documentId)).rejects.toThrow(
      /injected crash/,
    );
    expect(await w.objects.head(objectKey)).toBeNull();
    expect(await retentionCounts(w, documentId)).toEqual({ RetentionExpired: 1, PayloadDestroyed: 0 });

    expect(await jobWith(w.store, w.objects).run(documentId)).toBe('destroyed');
    expect(await retentionCounts(w, documentId)).toEqual({ RetentionExpired: 1, PayloadDestroyed: 1 });
  });

  it('RetentionExpired appended but the object not yet deleted: the re-run deletes it and records it once', async () => {
    const { documentId, objectKey } = await expiredDocument();
    await expect(jobWith(w.store, deleteFailingOnce()).run(documentId)).rejects.toThrow(/injected crash/);
    expect(await w.objects.head(objectKey)).not.toBeNull();
    expect(await retentionCounts(w, documentId)).toEqual({ RetentionExpired: 1, PayloadDestroyed: 0 });

    expect(await jobWith(w.store, w.objects).run(documentId)).toBe('destroyed');
    expect(await w.objects.head(objectKey)).toBeNull();
    expect(await retentionCounts(w, documentId)).toEqual({ RetentionExpired: 1, PayloadDestroyed: 1 });
  });

  it('crash before RetentionExpired: nothing happened, and the re-run does it all once', async () => {
    const { documentId, objectKey } = await expiredDocument();
    await expect(jobWith(failingOnceOn('RetentionExpired'), w.objects).run(documentId)).rejects.toThrow(
      /injected crash/,
    );
    expect(await w.objects.head(objectKey)).not.toBeNull();
    expect(await retentionCounts(w, documentId)).toEqual({ RetentionExpired: 0, PayloadDestroyed: 0 });

    expect(await jobWith(w.store, w.objects).run(documentId)).toBe('destroyed');
    expect(await retentionCounts(w, documentId)).toEqual({ RetentionExpired: 1, PayloadDestroyed: 1 });
  });

  it('a run after completion, and runs racing each other, append nothing twice', async () => {
    const { documentId } = await expiredDocument();
    const job = jobWith(w.store, w.objects);
    const outcomes = await Promise.all([job.run(documentId), job.run(documentId), job.run(documentId)]);
    expect(outcomes).toContain('destroyed');
    expect(await job.run(documentId)).toBe('already-destroyed');
    expect(await retentionCounts(w, documentId)).toEqual({ RetentionExpired: 1, PayloadDestroyed: 1 });
  });
});

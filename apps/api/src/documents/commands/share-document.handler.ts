import { Inject } from '@nestjs/common';
import { CommandHandler, ICommandHandler } from '@nestjs/cqrs';
import {
  ACCESS_AGREEMENT_VERSION,
  addressTeams,
  AgreementState,
  DocumentRefusal,
  evaluatePayloadRecipients,
  ShareVerdict,
  documentDecider,
  OrganisationTeams,
  documentObjectKey,
  evaluateShare,
  reviewOverdue,
  SharedDocumentData,
  shareRoleRefusal,
} from '@accord/domain';
import { uuidv5, uuidv7 } from '@accord/event-store';
import { OBJECT_STORE, ObjectStore } from '@accord/object-store';
import { ACCORD_CONFIG, fold, IdGenerator, idempotencyKeyReused, LoadedConfig } from '@accord/platform';
import { DocumentWriter } from '../document-writer';
import type { ShareOutcomeDto } from '../documents.dto';
import { DocumentRequestContext, ShareDocumentCommand } from '../documents.commands';
import { FaultInjector } from '../../shared/fault-injector';
import { OrganisationKeyring, UsableKey } from '../organisation-keyring';
import { PayloadSealer, payloadRefusalOf } from '../payload-sealer';
import { ShareMetadataDto, validShareMetadata } from '../share-metadata.dto';
import { SubjectRefs } from '../subject-refs';
import { TeamDirectory } from '../../organisations/team-directory';

export const PGP_ENCRYPTED = 'application/pgp-encrypted';

/**
 * POST /documents (docs/architecture.md §9.7). Order matters:
 * 0. the caller's role, before the body is read at all (an admin's or auditor's upload is never read);
 * 1. metadata, subjects and every rule that needs no payload, before a byte of the payload is read;
 * 2. the payload: its recipients checked (pre-encrypted) or encrypted here (plaintext), streaming;
 * 3. the ciphertext into the object store, which reports size and SHA-256;
 * 4. only then DocumentShared: an event never points at a missing object. A crash between 3 and 4 leaves
 *    an object no event names, which the orphan reconciler deletes after its grace period.
 * Each upload writes its own object key (`documents/<documentId>.<uploadId>`), so a retry never overwrites
 * an object the reconciler is judging, and the reconciler's claim names exactly the object it deletes.
 */
@CommandHandler(ShareDocumentCommand)
export class ShareDocumentHandler implements ICommandHandler<ShareDocumentCommand> {
  constructor(
    private readonly writer: DocumentWriter,
    private readonly keyring: OrganisationKeyring,
    private readonly sealer: PayloadSealer,
    private readonly subjects: SubjectRefs,
    private readonly ids: IdGenerator,
    private readonly fault: FaultInjector,
    @Inject(OBJECT_STORE) private readonly objects: ObjectStore,
    @Inject(ACCORD_CONFIG) private readonly config: LoadedConfig,
    private readonly teams: TeamDirectory,
  ) {}

  async execute({ source, context }: ShareDocumentCommand): Promise<ShareOutcomeDto> {
    const { caller, meta, idempotency } = context;
    // A retried request lands on the same document id, so the store recognises the retry.
    const documentId =
      idempotency.key === undefined
        ? this.ids.newId()
        : uuidv5(`document|${idempotency.scope}|${idempotency.key}`);
    const wrongRole = shareRoleRefusal(caller.role);
    if (wrongRole) {
      source.abandon();
      throw await this.writer.recordShareRefusal(
        documentId,
        wrongRole,
        { orgId: caller.orgId },
        meta,
        idempotency,
      );
    }
    const upload = await source.read();
    let metadata;
    let subjectRefs: string[];
    try {
      metadata = validShareMetadata(upload.metadata);
      subjectRefs = [
        ...new Set((metadata.subjects ?? []).map((s) => this.subjects.refOf(s.scheme, s.value))),
      ];
    } catch (error) {
      upload.discard();
      throw error;
    }
    const now = new Date(meta.occurredAt);

    // One read of the document's stream serves both the retry check here and the decision below.
    const history = await this.writer.history(documentId);
    const prior = fold(documentDecider, history);
    const agreement = await this.writer.agreement(metadata.agreementId);
    if (prior.status === 'shared') {
      upload.discard();
      // The same key with other metadata is not a retry but another share, which answering with the first
      // document would silently drop (sent to other recipients, say): refused as on every JSON route. The
      // payload streams and is not compared; the metadata is what says where and what it is.
      if (!isSameShare(prior.document, metadata, subjectRefs)) throw idempotencyKeyReused();
      return outcomeOf(documentId, prior.document, reviewOverdue(agreement, now));
    }

    const { verdict, keys } = await this.evaluate(metadata, context, now, agreement);
    const about = { orgId: caller.orgId, agreementId: metadata.agreementId };
    if (!verdict.allowed) {
      upload.discard();
      throw await this.writer.recordShareRefusal(documentId, verdict.refusal, about, meta, idempotency);
    }

    const share = verdict.share;
    // Need-to-know (docs/architecture.md §24): the teams are fixed now, before a byte of the payload is read.
    const teamsByOrg: Record<string, OrganisationTeams> = {};
    for (const orgId of share.recipients) teamsByOrg[orgId] = await this.teams.teams(orgId);
    const addressed = addressTeams(metadata.recipientTeams, share.recipients, (orgId) => teamsByOrg[orgId]!);
    if ('refusal' in addressed) {
      upload.discard();
      throw await this.writer.recordShareRefusal(documentId, addressed.refusal, about, meta, idempotency);
    }
    const recipientKeys = share.recipients.flatMap((id) => keys[id] ?? []);
    const objectKey = `${documentObjectKey(documentId)}.${uuidv7(now.getTime())}`;
    let stored;
    let sealed;
    try {
      sealed = await this.sealer.seal(
        await upload.payload(),
        recipientKeys,
        keys[share.senderOrg] ?? [],
        now,
      );
      if (!sealed.sealed) {
        upload.discard();
        throw await this.writer.recordShareRefusal(documentId, sealed.refusal, about, meta, idempotency);
      }
      stored = await this.objects.put(objectKey, sealed.stream, { contentType: PGP_ENCRYPTED });
      const failed = upload.failure();
      if (failed) {
        // The body ended, but not as the client sent it: what was stored is not the document.
        await this.objects.delete(objectKey);
        throw failed;
      }
    } catch (error) {
      upload.discard();
      // The upload's own failure (too large, malformed) explains a stream error better than what wrapped it.
      const failed = upload.failure();
      const refusal = failed ? undefined : payloadRefusalOf(error);
      if (refusal) throw await this.writer.recordShareRefusal(documentId, refusal, about, meta, idempotency);
      throw failed ?? error;
    }
    this.fault.reached('after-object-put');

    // The payload may have streamed for minutes, and what the share was decided on may have changed since:
    // the agreement suspended or terminated, the sender suspended, a recipient's key revoked. A change
    // acknowledged before this point refuses the share (recorded like any refusal), and the stored
    // ciphertext goes at once rather than waiting for the orphan sweep.
    const again = await this.evaluate(metadata, context, now);
    const stale = again.verdict.allowed
      ? revokedKeyOf(sealed.recipientFingerprints, again.keys)
      : again.verdict.refusal;
    if (stale) {
      await this.objects.delete(objectKey).catch(() => undefined);
      throw await this.writer.recordShareRefusal(documentId, stale, about, meta, idempotency);
    }

    const outcome = await this.writer.run(
      documentId,
      {
        type: 'ShareDocument',
        data: {
          share,
          subjectRefs,
          nature: metadata.nature,
          title: titleOf(metadata),
          recipientTeams: addressed.recipientTeams,
          payload: {
            objectKey,
            size: stored.size,
            sha256: stored.sha256,
            recipientFingerprints: sealed.recipientFingerprints,
            storageRegion: this.objects.region,
            mode: sealed.mode,
          },
        },
        metadata: { now },
      },
      meta,
      { key: idempotency.key, scope: `${idempotency.scope}|share` },
      history,
    );
    await this.writer.settle(outcome.position);
    const recorded = outcome.events.find((e) => e.type === 'DocumentShared');
    if (recorded?.type !== 'DocumentShared') throw new Error('a share appended no DocumentShared');
    return outcomeOf(documentId, recorded.data, share.reviewOverdue);
  }

  /**
   * The share policy on what the event store and the directory say now: the agreement (unless the caller has
   * just read it), the sender's own stream (suspended since the request was let in?), the parties' keys.
   */
  private async evaluate(
    metadata: ShareMetadataDto,
    { caller, meta }: DocumentRequestContext,
    now: Date,
    agreement?: AgreementState,
  ): Promise<{ verdict: ShareVerdict; keys: Record<string, UsableKey[]> }> {
    const { organisations, keys } = await this.keyring.partyOrganisations(
      [...metadata.recipients, ...(caller.orgId ? [caller.orgId] : [])],
      now,
    );
    const sender = await this.writer.sharer(caller.userId);
    const verdict = evaluateShare(
      {
        agreementId: metadata.agreementId,
        recipients: metadata.recipients,
        purpose: metadata.purpose,
        dataCategories: metadata.dataCategories,
        retainUntil: metadata.retainUntil,
      },
      {
        now,
        user: {
          userId: caller.userId,
          orgId: caller.orgId,
          role: caller.role,
          active: sender.active,
          acceptedAccessAgreement: caller.accessAgreementVersion === ACCESS_AGREEMENT_VERSION,
          ...(sender.trainedOn ? { trainedOn: sender.trainedOn } : {}),
        },
        agreement: agreement ?? (await this.writer.agreement(metadata.agreementId)),
        organisations,
        storageRegion: this.objects.region,
        ukStorageRegions: this.config.ukStorageRegions,
        client: meta.client ?? { ip: 'unknown', country: 'unknown' },
      },
    );
    return { verdict, keys };
  }
}

/**
 * A refusal when the payload is encrypted to a key that is no longer usable (revoked while it streamed): the
 * recipients' copies would be readable with a key its organisation has withdrawn, perhaps as compromised.
 */
function revokedKeyOf(
  sealedTo: readonly string[],
  keys: Record<string, readonly UsableKey[]>,
): DocumentRefusal | undefined {
  const usable = new Set(Object.values(keys).flatMap((k) => k.map((key) => key.fingerprint)));
  const withdrawn = sealedTo.filter((f) => !usable.has(f));
  return evaluatePayloadRecipients(
    { ok: withdrawn.length === 0, missing: [], unexpected: withdrawn, passwordCount: 0 },
    "a key the payload is encrypted to was revoked while it was uploaded; encrypt to the recipients' active keys",
  );
}

const titleOf = (metadata: ShareMetadataDto): string => metadata.title.trim().replace(/\s+/g, ' ');

/** Whether a retry's metadata asks for the share already recorded (lists compared as sets, as the policy reads them). */
function isSameShare(d: SharedDocumentData, m: ShareMetadataDto, subjectRefs: string[]): boolean {
  const sameSet = (a: readonly string[], b: readonly string[]) => {
    const [x, y] = [new Set(a.map((v) => v.trim())), new Set(b.map((v) => v.trim()))];
    return x.size === y.size && [...x].every((v) => y.has(v));
  };
  return (
    d.agreementId.trim() === m.agreementId.trim() &&
    d.purpose.trim() === m.purpose.trim() &&
    d.nature === m.nature &&
    d.title === titleOf(m) &&
    sameSet(d.recipients, m.recipients) &&
    sameSet(d.dataCategories, m.dataCategories) &&
    sameSet(d.subjectRefs, subjectRefs)
  );
}

function outcomeOf(documentId: string, d: SharedDocumentData, overdue: boolean): ShareOutcomeDto {
  return {
    documentId,
    sha256: d.sha256,
    size: d.size,
    retainUntil: d.retainUntil,
    agreementVersion: d.agreementVersion,
    mode: d.mode,
    recipientFingerprints: d.recipientFingerprints,
    reviewOverdue: overdue,
  };
}

import { Body, Controller, Get, Header, HttpCode, Inject, Param, Post, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import {
  EVENT_STORE,
  EventStore,
  openCheckpoint,
  RecordedEvent,
  VERIFIABLE_LOG,
  VerifiableLog,
} from '@accord/event-store';
import { READ_DB } from '@accord/platform';
import { auditInvolves, ReadDb } from '@accord/projections';
import { type Caller, CurrentUser, RequiresAccessAgreement } from '../../auth';
import { ApiProblems } from '../../shared/api-problem.decorator';
import { AuditError } from '../audit.errors';
import { AuditIntegrity, IntegrityReport } from '../audit-integrity.service';
import type { AuditScope } from '../audit-scope';
import { Checkpoints } from './checkpoints.service';
import {
  ConsistencyProofDto,
  ConsistencyQueryDto,
  InclusionProofDto,
  ProofQueryDto,
  VerifyCheckpointDto,
} from './audit-proofs.dto';

const b64 = (b: Buffer): string => b.toString('base64');

/**
 * The verifiable log for its witnesses: every authenticated user (partners and auditors alike) can fetch the
 * signed checkpoint and the key, ask for consistency and inclusion proofs, and have the platform check the
 * log against a checkpoint they kept. None of it carries case data; an event's own content comes with its
 * proof only for an auditor or IG lead whose scope it is in.
 */
@ApiTags('audit')
@Controller('audit')
@RequiresAccessAgreement()
export class AuditProofsController {
  constructor(
    @Inject(VERIFIABLE_LOG) private readonly log: VerifiableLog,
    @Inject(EVENT_STORE) private readonly store: EventStore,
    @Inject(READ_DB) private readonly db: ReadDb,
    private readonly checkpoints: Checkpoints,
    private readonly integrity: AuditIntegrity,
  ) {}

  @Get('checkpoint')
  @ApiOperation({
    operationId: 'getCheckpoint',
    summary: 'The latest signed checkpoint of the log (C2SP tlog-checkpoint signed note)',
  })
  @ApiProduces('text/plain')
  @Header('content-type', 'text/plain; charset=utf-8')
  @Header('cache-control', 'no-store')
  @ApiProblems(403)
  async checkpoint(): Promise<string> {
    const latest = await this.checkpoints.latest();
    if (!latest) throw new AuditError('audit.no-checkpoint');
    return latest.note;
  }

  @Get('checkpoint/key')
  @ApiOperation({
    operationId: 'getCheckpointKey',
    summary: 'The verifier key of the checkpoints: <name>+<hex key id>+<base64 Ed25519 key>',
  })
  @ApiProduces('text/plain')
  @ApiProblems(403)
  @Header('content-type', 'text/plain; charset=utf-8')
  checkpointKey(): string {
    return `${this.checkpoints.signer.verifierKey}\n`;
  }

  @Get('consistency')
  @ApiOperation({
    operationId: 'getConsistencyProof',
    summary: 'RFC 9162 consistency proof between two tree sizes',
  })
  @ApiOkResponse({ type: ConsistencyProofDto })
  @ApiProblems(400, 403)
  async consistency(@Query() q: ConsistencyQueryDto): Promise<ConsistencyProofDto> {
    const size = await this.log.treeSize();
    if (q.from > q.to || q.to > size) throw new AuditError('audit.tree-size-out-of-range');
    const [proof, fromRoot, toRoot] = await Promise.all([
      this.log.consistencyProof(q.from, q.to),
      this.log.rootAt(q.from),
      this.log.rootAt(q.to),
    ]);
    return { from: q.from, to: q.to, fromRoot: b64(fromRoot), toRoot: b64(toRoot), proof: proof.map(b64) };
  }

  @Get('events/:eventId/proof')
  @ApiOperation({
    operationId: 'getInclusionProof',
    summary:
      "An event's leaf index and inclusion proof against a signed checkpoint (the latest, or ?treeSize=)",
  })
  @ApiOkResponse({ type: InclusionProofDto })
  @ApiProblems(400, 403, 404)
  async proof(
    @Param('eventId') eventId: string,
    @Query() q: ProofQueryDto,
    @CurrentUser() caller: Caller,
  ): Promise<InclusionProofDto> {
    const index = await this.log.leafIndexOf(eventId);
    if (index === undefined) throw new AuditError('audit.not-found');
    const event = this.log.gapFreePositions ? await this.eventAt(index + 1) : undefined;
    // An organisation's users get proofs of their organisation's events only.
    if (caller.orgId !== null && (!event || !auditInvolves(this.db, caller.orgId, event.position))) {
      throw new AuditError('audit.not-found');
    }
    // The latest is signed on demand, so it covers every event the tree holds.
    const cp = q.treeSize ? await this.log.checkpointAt(q.treeSize) : await this.checkpoints.latest();
    if (!cp) throw new AuditError(q.treeSize ? 'audit.not-found' : 'audit.no-checkpoint');
    if (index >= cp.size) throw new AuditError('audit.tree-size-out-of-range');
    const [leaf, proof] = await Promise.all([
      this.log.leafHash(index),
      this.log.inclusionProof(index, cp.size),
    ]);
    const seesContent = caller.role === 'auditor' || caller.role === 'ig-lead';
    return {
      eventId,
      leafIndex: index,
      treeSize: cp.size,
      leafHash: b64(leaf),
      proof: proof.map(b64),
      checkpoint: cp.note,
      verifierKey: this.checkpoints.signer.verifierKey,
      ...(event && seesContent ? { event: envelope(event) } : {}),
    };
  }

  @Post('verify')
  @HttpCode(200)
  @ApiOperation({
    operationId: 'verifyAgainstCheckpoint',
    summary: 'Is the log a consistent extension of this checkpoint? ok false with the reason otherwise',
    description:
      "Checks the checkpoint's signature, its size and root against the events, the platform's consistency " +
      'proof, and everything GET /audit/verify checks (docs/architecture.md §6.5).',
  })
  @ApiProblems(400, 403)
  async verify(
    @Body() body: VerifyCheckpointDto,
    @CurrentUser() caller: Caller,
  ): Promise<IntegrityReport & { reason?: string; checkpoint?: { size: number; root: string } }> {
    const scope: AuditScope = caller.orgId ?? (caller.role === 'auditor' ? null : '');
    const opened = openCheckpoint(body.checkpoint, this.checkpoints.verifierKey);
    const report = await this.integrity.verify(scope, opened.ok ? opened.checkpoint : undefined);
    if (!opened.ok) return { ...report, ok: false, reason: `checkpoint-${opened.reason}` };
    const checkpoint = { size: opened.checkpoint.size, root: b64(opened.checkpoint.root) };
    const reason =
      report.log.problems[0]?.reason ??
      (report.firstBadEvent || report.breakOutsideScope ? 'chain-broken' : undefined) ??
      (report.badObjects.length > 0 ? 'bad-object' : undefined);
    return { ...report, checkpoint, ...(reason ? { reason } : {}) };
  }

  private async eventAt(position: number): Promise<RecordedEvent | undefined> {
    for await (const page of this.store.readAll({ after: position - 1, limit: 1 })) {
      return page[0]?.position === position ? page[0] : undefined;
    }
    return undefined;
  }
}

function envelope(e: RecordedEvent): Record<string, unknown> {
  const { eventId, type, streamId, revision, position, data, meta } = e;
  return { eventId, type, streamId, revision, position, data, meta };
}

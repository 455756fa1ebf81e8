import { Controller, Get, Inject, Query, Res } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import type { Response } from 'express';
import { ACCORD_CONFIG, LoadedConfig, READ_DB } from '@accord/platform';
import { listTransfers, ReadDb } from '@accord/projections';
import { type Caller, CurrentUser, RequiresAccessAgreement, Roles } from '../auth';
import { AuditCuts } from '../audit/audit-cut';
import { auditScopeOf, scopeName } from '../audit/audit-scope';
import { ApiProblems } from '../shared/api-problem.decorator';
import { DEFAULT_TRANSFER_LIMIT, TransferListDto, TransfersQueryDto } from './transfers.dto';

/**
 * UK-only transfers (docs/architecture.md §9.4 and §19.2): every movement of a payload with its verdict,
 * judged against the UK storage regions configured now (UK_STORAGE_REGIONS). `nonUkCompleted` must always be
 * 0; a blocked attempt counts as attempted, with its reason.
 */
@ApiTags('transfers')
@Controller('transfers')
@RequiresAccessAgreement()
@Roles('auditor', 'ig-lead')
export class TransfersController {
  constructor(
    @Inject(READ_DB) private readonly db: ReadDb,
    @Inject(ACCORD_CONFIG) private readonly config: LoadedConfig,
    private readonly cuts: AuditCuts,
  ) {}

  @Get()
  @ApiOperation({
    operationId: 'listTransfers',
    summary: 'Every movement of a payload, with a UK/non-UK verdict and a summary',
    description:
      'Share: sender -> each recipient, with both jurisdictions and the storage region; access: storage region -> client country. ' +
      '`nonUk=true` lists every breach of UK-only, blocked attempts included. Scoped like the audit histories.',
  })
  @ApiOkResponse({ type: TransferListDto })
  @ApiProblems(400, 403)
  async list(
    @Query() q: TransfersQueryDto,
    @CurrentUser() caller: Caller,
    @Res({ passthrough: true }) res: Response,
  ): Promise<TransferListDto> {
    const scope = auditScopeOf(caller);
    const cut = await this.cuts.cut(q.asOf, 'transfers');
    const [position, seq] = (q.after ?? '0').split('.');
    const page = listTransfers(this.db, {
      ukStorageRegions: this.config.ukStorageRegions,
      nonUkOnly: q.nonUk === true,
      scopeOrgId: scope,
      after: [Number(position), seq === undefined ? Number.MAX_SAFE_INTEGER : Number(seq)],
      upTo: cut.position,
      limit: q.limit ?? DEFAULT_TRANSFER_LIMIT,
    });
    res.setHeader('cache-control', 'no-store');
    return { asOf: cut, scope: scopeName(scope), ...page };
  }
}

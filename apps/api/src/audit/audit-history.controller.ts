import {
  applyDecorators,
  Controller,
  Get,
  Inject,
  Injectable,
  Param,
  PipeTransform,
  Query,
  Req,
  Res,
} from '@nestjs/common';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import type { Request, Response } from 'express';
import { READ_DB } from '@accord/platform';
import { auditHistory, AuditTarget, ReadDb } from '@accord/projections';
import { type Caller, CurrentUser, RequiresAccessAgreement, Roles } from '../auth';
import { SubjectRefs } from '../documents/subject-refs';
import { ApiProblems } from '../shared/api-problem.decorator';
import { CSV_CONTENT_TYPE, historyCsv, wantsCsv } from './audit-csv';
import { AuditCuts } from './audit-cut';
import { AuditError } from './audit.errors';
import { DocumentAccessAtDto } from './audit-reports.dto';
import { auditScopeOf, scopeName } from './audit-scope';
import {
  AsOfQueryDto,
  DEFAULT_HISTORY_LIMIT,
  HistoryDto,
  HistoryQueryDto,
  SubjectHistoryQueryDto,
} from './audit.dto';
import { DocumentAccessReader } from './document-access.reader';

const UUID = /^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$/;

/** Ids of documents, users, agreements (UUIDs, compared in lower case) and organisations (slugs). */
@Injectable()
export class AuditIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (UUID.test(value)) return value.toLowerCase();
    if (typeof value !== 'string' || !/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(value)) {
      throw new AuditError('audit.not-found');
    }
    return value;
  }
}

const HISTORY_DESCRIPTION =
  'Paginated, in log order; `asOf` answers from the events up to then only; `Accept: text/csv` for CSV. ' +
  "An organisation's auditor or IG lead sees only the events that involved their organisation; a platform auditor sees all.";

/**
 * Who shared what with whom, who opened it, who was refused, and when (the question), for one
 * document, user, organisation, agreement or data subject, as things stood at any moment. Every read is
 * itself authorised (auditor or IG lead, access agreement accepted) and cut to the caller's scope.
 */
@ApiTags('audit')
@Controller('audit')
@RequiresAccessAgreement()
@Roles('auditor', 'ig-lead')
export class AuditHistoryController {
  constructor(
    @Inject(READ_DB) private readonly db: ReadDb,
    private readonly cuts: AuditCuts,
    private readonly subjects: SubjectRefs,
    private readonly access: DocumentAccessReader,
  ) {}

  @Get('documents/:id/history')
  @ApiOperation({
    operationId: 'getDocumentHistory',
    summary: "One document's audit history",
    description: HISTORY_DESCRIPTION,
  })
  @HistoryResponses()
  document(
    @Param('id', AuditIdPipe) id: string,
    @Query() q: HistoryQueryDto,
    @CurrentUser() caller: Caller,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<HistoryDto | string> {
    return this.history({ kind: 'document', id }, q, caller, req, res);
  }

  @Get('documents/:id/access')
  @ApiOperation({
    operationId: 'getDocumentAccess',
    summary: 'Who could open the document at `asOf`',
    description:
      'Its recipients, the agreement’s state and version, the keys in force then, folded from the raw events',
  })
  @ApiOkResponse({ type: DocumentAccessAtDto })
  @ApiProblems(400, 403, 404)
  async documentAccess(
    @Param('id', AuditIdPipe) id: string,
    @Query() q: AsOfQueryDto,
    @CurrentUser() caller: Caller,
  ): Promise<DocumentAccessAtDto> {
    const scope = auditScopeOf(caller);
    const cut = await this.cuts.cut(q.asOf);
    return { asOf: cut, ...(await this.access.at(id, cut, scope)) };
  }

  @Get('users/:id/history')
  @ApiOperation({
    operationId: 'getUserHistory',
    summary: 'What one user did, and what was done to their account',
    description: HISTORY_DESCRIPTION,
  })
  @HistoryResponses()
  user(
    @Param('id', AuditIdPipe) id: string,
    @Query() q: HistoryQueryDto,
    @CurrentUser() caller: Caller,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<HistoryDto | string> {
    return this.history({ kind: 'user', id }, q, caller, req, res);
  }

  @Get('organisations/:id/history')
  @ApiOperation({
    operationId: 'getOrganisationHistory',
    summary: 'Every event that involved one organisation',
    description: HISTORY_DESCRIPTION,
  })
  @HistoryResponses()
  organisation(
    @Param('id', AuditIdPipe) id: string,
    @Query() q: HistoryQueryDto,
    @CurrentUser() caller: Caller,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<HistoryDto | string> {
    return this.history({ kind: 'organisation', id }, q, caller, req, res);
  }

  @Get('agreements/:id/history')
  @ApiOperation({
    operationId: 'getAgreementHistory',
    summary: "One agreement's lifecycle and every document shared, opened or refused under it",
    description: HISTORY_DESCRIPTION,
  })
  @HistoryResponses()
  agreement(
    @Param('id', AuditIdPipe) id: string,
    @Query() q: HistoryQueryDto,
    @CurrentUser() caller: Caller,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<HistoryDto | string> {
    return this.history({ kind: 'agreement', id }, q, caller, req, res);
  }

  @Get('subjects/history')
  @ApiOperation({
    operationId: 'getSubjectHistory',
    summary: 'Every document about one data subject',
    description: `Found by the subject's HMAC reference. ${HISTORY_DESCRIPTION}`,
  })
  @HistoryResponses(422)
  subject(
    @Query() q: SubjectHistoryQueryDto,
    @CurrentUser() caller: Caller,
    @Req() req: Request,
    @Res({ passthrough: true }) res: Response,
  ): Promise<HistoryDto | string> {
    const ref = this.subjects.refOf(q.scheme, q.value);
    return this.history({ kind: 'subject', ref }, q, caller, req, res);
  }

  private async history(
    target: AuditTarget,
    q: HistoryQueryDto,
    caller: Caller,
    req: Request,
    res: Response,
  ): Promise<HistoryDto | string> {
    const scope = auditScopeOf(caller);
    const cut = await this.cuts.cut(q.asOf);
    const page = auditHistory(this.db, target, {
      after: q.after ?? 0,
      upTo: cut.position,
      limit: q.limit ?? DEFAULT_HISTORY_LIMIT,
      scopeOrgId: scope,
    });
    res.setHeader('cache-control', 'no-store');
    if (!wantsCsv(req.headers.accept)) return { asOf: cut, scope: scopeName(scope), ...page };
    res.setHeader('content-type', `${CSV_CONTENT_TYPE}; charset=utf-8`);
    res.setHeader('x-as-of-position', String(cut.position));
    if (page.nextAfter !== null) res.setHeader('x-next-after', String(page.nextAfter));
    return historyCsv(page.items);
  }
}

function HistoryResponses(...extra: number[]): MethodDecorator {
  return applyDecorators(
    ApiExtraModels(HistoryDto),
    ApiOkResponse({
      description: 'JSON; CSV (one row per entry) with Accept: text/csv',
      headers: {
        'x-as-of-position': { description: 'CSV: the log position cut at', schema: { type: 'integer' } },
        'x-next-after': {
          description: 'CSV: `after` for the next page, if any',
          schema: { type: 'integer' },
        },
      },
      content: {
        'application/json': { schema: { $ref: getSchemaPath(HistoryDto) } },
        [CSV_CONTENT_TYPE]: {
          schema: {
            type: 'string',
            description: 'A header row, then one row per entry; x-next-after pages on',
          },
        },
      },
    }),
    ApiProblems(400, 403, ...extra),
  );
}

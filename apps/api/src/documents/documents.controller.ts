import {
  Body,
  Controller,
  Get,
  HttpCode,
  Injectable,
  Param,
  PipeTransform,
  Post,
  Query,
  Req,
  StreamableFile,
} from '@nestjs/common';
import { CommandBus, QueryBus } from '@nestjs/cqrs';
import {
  ApiBody,
  ApiConsumes,
  ApiCreatedResponse,
  ApiExtraModels,
  ApiHeader,
  ApiOkResponse,
  ApiOperation,
  ApiTags,
} from '@nestjs/swagger';
import type { Request } from 'express';
import { refuse } from '@accord/domain';
import { Clock, Idempotency, IdempotencyKey } from '@accord/platform';
import {
  AdmitsSuspended,
  type Caller,
  CurrentUser,
  eventMetaFor,
  RequiresAccessAgreement,
  Roles,
} from '../auth';
import { ApiProblems } from '../shared/api-problem.decorator';
import { PGP_ENCRYPTED } from './commands/share-document.handler';
import {
  GetDocumentQuery,
  ListDocumentsQuery,
  OpenDocumentCommand,
  RevokeDocumentCommand,
  ShareDocumentCommand,
} from './documents.commands';
import {
  DocumentDto,
  DocumentListDto,
  ListDocumentsQueryDto,
  OpenDocumentQueryDto,
  RevocationOutcomeDto,
  RevokeDocumentDto,
  ShareOutcomeDto,
} from './documents.dto';
import { ShareMetadataDto } from './share-metadata.dto';
import { shareUploadSource } from './upload/share-upload.reader';
import { UploadLimits } from './upload/upload-limits';

/** Document ids are UUIDs; anything else names no document of ours. */
@Injectable()
export class DocumentIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (typeof value !== 'string' || !/^[0-9a-fA-F-]{36}$/.test(value)) throw refuse('document.not-found');
    return value.toLowerCase();
  }
}

/**
 * Documents (docs/architecture.md §9, §10, §15). Sharing and opening carry no @Roles: who may is the share
 * and open policies' decision, and each refusal is an event (ASVS level 3: every authorisation decision
 * recorded), which a guard's refusal would not be.
 */
@ApiTags('documents')
@ApiExtraModels(ShareMetadataDto)
@Controller('documents')
@RequiresAccessAgreement()
export class DocumentsController {
  constructor(
    private readonly commands: CommandBus,
    private readonly queries: QueryBus,
    private readonly clock: Clock,
    private readonly uploadLimits: UploadLimits,
  ) {}

  @Post()
  @HttpCode(201)
  @ApiOperation({
    operationId: 'shareDocument',
    summary: 'Share a document with partner organisations under an agreement',
    description:
      "Practitioner or IG lead of the sender: multipart `metadata` (JSON) first, then `payload`, either an OpenPGP message to exactly the recipients' active keys or plaintext the server encrypts to them",
  })
  @ApiConsumes('multipart/form-data')
  @ApiBody({
    schema: {
      type: 'object',
      required: ['metadata', 'payload'],
      properties: {
        metadata: { type: 'string', description: 'JSON, see the ShareMetadataDto schema' },
        payload: { type: 'string', format: 'binary' },
      },
    },
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A retry with the same key shares once',
  })
  @ApiCreatedResponse({ type: ShareOutcomeDto })
  @ApiProblems(400, 403, 404, 409, 413, 415, 422)
  share(
    @Req() req: Request,
    @CurrentUser() caller: Caller,
    @IdempotencyKey() idempotency: Idempotency,
  ): Promise<ShareOutcomeDto> {
    const meta = eventMetaFor(caller, req, this.clock);
    return this.uploadLimits.run(req, caller.orgId ?? 'platform', meta, () =>
      this.commands.execute(new ShareDocumentCommand(shareUploadSource(req), { caller, meta, idempotency })),
    );
  }

  @Get()
  @Roles('ig-lead', 'practitioner', 'auditor')
  @ApiOperation({
    operationId: 'listDocuments',
    summary: "Metadata of the documents the caller's organisation sent or received, newest first",
  })
  @ApiOkResponse({ type: DocumentListDto })
  @ApiProblems(400, 403, 422)
  list(@CurrentUser() caller: Caller, @Query() filter: ListDocumentsQueryDto): Promise<DocumentListDto> {
    return this.queries.execute(new ListDocumentsQuery(caller, filter));
  }

  @Get(':id')
  @AdmitsSuspended()
  @ApiOperation({
    operationId: 'getDocument',
    summary:
      "One document's metadata (404 unless the caller's organisation sent or received it; admins 403); each refusal is recorded",
  })
  @ApiOkResponse({ type: DocumentDto })
  @ApiProblems(403, 404)
  get(
    @Req() req: Request,
    @CurrentUser() caller: Caller,
    @Param('id', DocumentIdPipe) id: string,
  ): Promise<DocumentDto> {
    // No @Roles: a guard's refusal would not be recorded; the handler decides and records (see there).
    return this.queries.execute(new GetDocumentQuery(caller, id, eventMetaFor(caller, req, this.clock)));
  }

  @Get(':id/content')
  @AdmitsSuspended()
  @ApiOperation({
    operationId: 'openDocument',
    summary: 'Open a document: download its stored OpenPGP message',
    description:
      'Users of a recipient or the sender organisation, UK clients; each open and each refusal is recorded; 410 once destroyed',
  })
  @ApiOkResponse({
    description: 'The encrypted document, as stored',
    headers: {
      'x-content-sha256': { description: 'SHA-256 (hex) of the body', schema: { type: 'string' } },
    },
    content: { [PGP_ENCRYPTED]: { schema: { type: 'string', format: 'binary' } } },
  })
  @ApiProblems(400, 403, 404, 410, 428)
  async content(
    @Req() req: Request,
    @CurrentUser() caller: Caller,
    @Param('id', DocumentIdPipe) id: string,
    @Query() query: OpenDocumentQueryDto,
  ): Promise<StreamableFile> {
    const meta = eventMetaFor(caller, req, this.clock);
    const opened = await this.commands.execute(new OpenDocumentCommand(id, { caller, meta }, query.purpose));
    req.res?.setHeader('cache-control', 'no-store');
    req.res?.setHeader('x-content-sha256', opened.sha256);
    return new StreamableFile(opened.stream, {
      type: PGP_ENCRYPTED,
      length: opened.size,
      disposition: `attachment; filename="${id}.pgp"`,
    });
  }

  @Post(':id/revocation')
  @HttpCode(201)
  @Roles('ig-lead', 'practitioner')
  @ApiOperation({
    operationId: 'revokeDocument',
    summary: 'Revoke a document: every later open answers 410, the payload is destroyed, recipients are told',
    description:
      "The user who shared it or an IG lead of the sending organisation (docs/architecture.md §25); anyone else's attempt is refused and recorded",
  })
  @ApiHeader({
    name: 'Idempotency-Key',
    required: false,
    description: 'A retry with the same key revokes once',
  })
  @ApiCreatedResponse({ type: RevocationOutcomeDto })
  @ApiProblems(400, 403, 404, 409, 422)
  revoke(
    @Req() req: Request,
    @CurrentUser() caller: Caller,
    @Param('id', DocumentIdPipe) id: string,
    @Body() body: RevokeDocumentDto,
    @IdempotencyKey() idempotency: Idempotency,
  ): Promise<RevocationOutcomeDto> {
    const meta = eventMetaFor(caller, req, this.clock);
    return this.commands.execute(new RevokeDocumentCommand(id, body.reason, { caller, meta, idempotency }));
  }
}

import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { isAddressed } from '@accord/domain';
import { READ_DB } from '@accord/platform';
import { findDocument, inboxPage, ReadDb, unreadInboxDocuments } from '@accord/projections';
import { type Caller, CurrentUser, RequiresAccessAgreement, Roles } from '../auth';
import { TeamDirectory } from '../organisations/team-directory';
import { ApiProblems } from '../shared/api-problem.decorator';
import { DEFAULT_INBOX_LIMIT, InboxListDto, ListInboxQueryDto } from './inbox.dto';

/**
 * The caller's own inbox (docs/architecture.md §27): what was addressed to them, and what became of it. It
 * shows what the documents list shows a recipient, no more; reading it changes nothing (opening the document
 * marks it read).
 */
@ApiTags('inbox')
@Controller('inbox')
@RequiresAccessAgreement()
export class InboxController {
  constructor(
    @Inject(READ_DB) private readonly db: ReadDb,
    private readonly teams: TeamDirectory,
  ) {}

  @Get()
  @Roles('ig-lead', 'practitioner')
  @ApiOperation({
    operationId: 'listInbox',
    summary:
      'Documents shared with you, and their destruction, supersession or revocation: unread first, newest first',
    description: 'A page at a time (`limit`, `after` = the previous `nextAfter`).',
  })
  @ApiOkResponse({ type: InboxListDto })
  @ApiProblems(400, 403)
  async list(@CurrentUser() caller: Caller, @Query() query: ListInboxQueryDto): Promise<InboxListDto> {
    const page = inboxPage(this.db, caller.userId, {
      ...(query.after !== undefined ? { after: query.after } : {}),
      limit: query.limit ?? DEFAULT_INBOX_LIMIT,
    });
    // Need-to-know (docs/architecture.md §24): entries are made for the addressees at share time, but a member
    // since removed from the addressed teams no longer reads the metadata anywhere, so not here either. A page
    // may come out shorter than `limit`; its cursor is still the last entry read, so nothing is skipped.
    const user = { orgId: caller.orgId, teams: await this.teams.teamsOfUser(caller.orgId, caller.userId) };
    const addressed = new Map<string, boolean>();
    const stillAddressed = (documentId: string): boolean => {
      if (!addressed.has(documentId)) {
        const record = findDocument(this.db, documentId);
        addressed.set(documentId, record !== undefined && isAddressed(record, user));
      }
      return addressed.get(documentId)!;
    };
    return {
      items: page.items.filter((i) => stillAddressed(i.documentId)),
      unread: unreadInboxDocuments(this.db, caller.userId).filter(stillAddressed).length,
      nextAfter: page.nextAfter,
    };
  }
}

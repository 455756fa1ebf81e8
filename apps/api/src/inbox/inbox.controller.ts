import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { READ_DB } from '@accord/platform';
import { inboxPage, ReadDb, unreadInboxCount } from '@accord/projections';
import { type Caller, CurrentUser, RequiresAccessAgreement, Roles } from '../auth';
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
  constructor(@Inject(READ_DB) private readonly db: ReadDb) {}

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
  list(@CurrentUser() caller: Caller, @Query() query: ListInboxQueryDto): InboxListDto {
    const page = inboxPage(this.db, caller.userId, {
      ...(query.after !== undefined ? { after: query.after } : {}),
      limit: query.limit ?? DEFAULT_INBOX_LIMIT,
    });
    return { items: page.items, unread: unreadInboxCount(this.db, caller.userId), nextAfter: page.nextAfter };
  }
}

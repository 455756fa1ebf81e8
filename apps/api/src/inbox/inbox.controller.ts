import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { READ_DB, ReadYourWrites } from '@accord/platform';
import { inboxPage, ReadDb, unreadInboxCount } from '@accord/projections';
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
    private readonly readYourWrites: ReadYourWrites,
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
    // Need-to-know (docs/architecture.md §24) is held by the inbox read model, which hides the entries of a
    // member removed from the addressed teams. The documents list reads membership on the event store; so that
    // the inbox is never staler than it, a team change appended through another node a moment ago is waited
    // for (at once when this node's read models have it, as they nearly always do).
    if (caller.orgId !== null) await this.readYourWrites.settle(await this.teams.lastPosition(caller.orgId));
    const page = inboxPage(this.db, caller.userId, {
      ...(query.after !== undefined ? { after: query.after } : {}),
      limit: query.limit ?? DEFAULT_INBOX_LIMIT,
    });
    return { items: page.items, unread: unreadInboxCount(this.db, caller.userId), nextAfter: page.nextAfter };
  }
}

import { Controller, Get, Inject, Query } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';
import { Clock, READ_DB } from '@accord/platform';
import { inboxFor, NotificationAudience, ReadDb } from '@accord/projections';
import { type Caller, CurrentUser, otherOrganisation, Roles } from '../auth';
import { ApiProblems } from '../shared/api-problem.decorator';
import { ListNotificationsQueryDto, NotificationListDto } from './notifications.dto';

const DEFAULT_LIMIT = 100;

/**
 * The caller's organisation's inbox. Requests for action (sign a new version, review the agreement) are
 * for IG leads; news that changes what every user may do (an agreement starts, is suspended, reinstated or
 * ends) is for every user of the organisation. Admins and auditors belong to no partner's inbox.
 */
@ApiTags('notifications')
@Controller('notifications')
export class NotificationsController {
  constructor(
    @Inject(READ_DB) private readonly db: ReadDb,
    private readonly clock: Clock,
  ) {}

  @Get()
  @Roles('ig-lead', 'practitioner')
  @ApiOperation({
    operationId: 'listNotifications',
    summary: "The caller's organisation's notifications, newest first (review reminders included)",
  })
  @ApiOkResponse({ type: NotificationListDto })
  @ApiProblems(400, 403)
  list(@CurrentUser() caller: Caller, @Query() query: ListNotificationsQueryDto): NotificationListDto {
    if (caller.orgId === null) throw otherOrganisation();
    const audiences: NotificationAudience[] =
      caller.role === 'ig-lead' ? ['ig-lead', 'organisation'] : ['organisation'];
    const items = inboxFor(this.db, caller.orgId, this.clock.now(), {
      audiences,
      limit: query.limit ?? DEFAULT_LIMIT,
    });
    return {
      items: items.map(({ id, kind, createdAt, agreementId, title, message }) => ({
        id,
        kind,
        createdAt,
        agreementId,
        title,
        message,
      })),
    };
  }
}

import type { NotificationKind } from '@accord/projections';
import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsInt, IsOptional, Max, Min } from 'class-validator';

export const NOTIFICATION_KINDS = [
  'signature-requested',
  'agreement-activated',
  'agreement-suspended',
  'agreement-reinstated',
  'agreement-terminated',
  'party-withdrawn',
  'review-due-in-30-days',
  'review-due',
  'breach-reported',
  'breach-ico-due-in-24-hours',
  'breach-ico-overdue',
  'document-superseded',
  'document-revoked',
] as const satisfies readonly NotificationKind[];

export const MAX_NOTIFICATIONS = 500;

export class ListNotificationsQueryDto {
  @ApiPropertyOptional({ default: 100, minimum: 1, maximum: MAX_NOTIFICATIONS })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_NOTIFICATIONS)
  limit?: number;
}

export class NotificationDto {
  @ApiProperty({ description: 'Stable: the same entry keeps its id across reads and rebuilds' }) id!: string;
  @ApiProperty({ enum: NOTIFICATION_KINDS }) kind!: string;
  @ApiProperty() createdAt!: string;
  @ApiProperty() agreementId!: string;
  @ApiProperty({ description: "The agreement's title" }) title!: string;
  @ApiProperty() message!: string;
}

export class NotificationListDto {
  @ApiProperty({ type: [NotificationDto], description: 'Newest first' }) items!: NotificationDto[];
}

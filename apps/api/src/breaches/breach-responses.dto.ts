import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

export const ICO_STATUSES = ['awaiting-assessment', 'not-reportable', 'due', 'overdue', 'notified'] as const;
export type IcoStatus = (typeof ICO_STATUSES)[number];

export class BreachSummaryDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['reported', 'assessed', 'closed'] }) status!: string;
  @ApiProperty() reportedBy!: string;
  @ApiProperty() reportedAt!: string;
  @ApiProperty() discoveredAt!: string;
  @ApiProperty({ enum: ['low', 'medium', 'high'] }) severity!: string;
  @ApiProperty() nearMiss!: boolean;
  @ApiProperty({ nullable: true, type: String }) agreementId!: string | null;
  @ApiProperty({ nullable: true, type: Boolean }) icoReportable!: boolean | null;
  @ApiProperty({ description: 'discoveredAt + 72 hours (UK GDPR Art 33)' }) icoDeadline!: string;
  @ApiProperty({
    description: 'Seconds until the ICO deadline at the time of the request (negative once past)',
  })
  secondsLeft!: number;
  @ApiProperty({ enum: ICO_STATUSES }) icoStatus!: IcoStatus;
  @ApiProperty({
    description: 'Past the deadline, ICO not notified, not assessed as not reportable (unassessed counts)',
  })
  overdue!: boolean;
}

export class ContainmentActionDto {
  @ApiProperty({ enum: ['user-suspended', 'key-revoked'] }) action!: string;
  @ApiProperty({ description: 'The organisation that contained its own side' }) orgId!: string;
  @ApiProperty({ description: 'The user suspended or the key fingerprint revoked' }) target!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() at!: string;
}

export class BreachDetailDto extends BreachSummaryDto {
  @ApiProperty() description!: string;
  @ApiProperty({ type: [String] }) documentIds!: string[];
  @ApiProperty({ type: [String] }) dataCategories!: string[];
  @ApiProperty() approxSubjects!: number;
  @ApiProperty({ type: [String], description: 'Organisations whose IG leads were notified' })
  notifiedOrgs!: string[];
  @ApiPropertyOptional({ nullable: true, type: String }) rationale!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) icoReference!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) icoNotifiedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) subjectsNotifiedAt!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) outcome!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) lessons!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) closedAt!: string | null;
  @ApiProperty({
    type: [ContainmentActionDto],
    description: 'Suspensions and key revocations recorded from the breach page, oldest first',
  })
  containment!: ContainmentActionDto[];
}

export class BreachListDto {
  @ApiProperty({ type: [BreachSummaryDto] }) items!: BreachSummaryDto[];
}

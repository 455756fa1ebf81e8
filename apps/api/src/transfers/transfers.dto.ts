import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Transform, Type } from 'class-transformer';
import { IsBoolean, IsInt, IsOptional, IsString, Matches, Max, Min } from 'class-validator';
import { AS_OF_PATTERN } from '../audit/audit-cut';
import { CutDto } from '../audit/audit.dto';

export const DEFAULT_TRANSFER_LIMIT = 100;
export const MAX_TRANSFER_LIMIT = 1000;

export class TransfersQueryDto {
  @ApiPropertyOptional({ description: 'Only movements and attempts outside the UK (blocked ones included)' })
  @IsOptional()
  @Transform(({ value }) => (value === 'true' ? true : value === 'false' ? false : value))
  @IsBoolean()
  nonUk?: boolean;

  @ApiPropertyOptional({ description: 'A global position or an ISO-8601 time; default now' })
  @IsOptional()
  @IsString()
  @Matches(AS_OF_PATTERN, { message: 'asOf must be a position or an ISO-8601 time' })
  asOf?: string;

  @ApiPropertyOptional({ description: "The previous page's nextAfter (`position.seq`)" })
  @IsOptional()
  @IsString()
  @Matches(/^\d{1,15}(\.\d{1,6})?$/, { message: 'after is a position, or position.seq' })
  after?: string;

  @ApiPropertyOptional({ default: DEFAULT_TRANSFER_LIMIT, minimum: 1, maximum: MAX_TRANSFER_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_TRANSFER_LIMIT)
  limit?: number;
}

export class TransferEndDto {
  @ApiProperty({ nullable: true, type: String }) orgId!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'GB-ENG, GB-WLS, GB-SCT, GB-NIR or a country' })
  jurisdiction!: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) storageRegion?: string | null;
  @ApiPropertyOptional({ nullable: true, type: String }) clientCountry?: string | null;
}

export class TransferDto {
  @ApiProperty() position!: number;
  @ApiProperty() seq!: number;
  @ApiProperty() eventId!: string;
  @ApiProperty() occurredAt!: string;
  @ApiProperty({
    enum: ['share', 'access', 'blocked', 'destroyed'],
    description: 'destroyed: the payload deleted from its storage region (retention or erasure); moves nothing',
  })
  kind!: string;
  @ApiProperty() documentId!: string;
  @ApiProperty({ nullable: true, type: String }) agreementId!: string | null;
  @ApiProperty({
    type: TransferEndDto,
    description: 'share: the sender and the storage region; access: the storage region',
  })
  from!: TransferEndDto;
  @ApiProperty({
    type: TransferEndDto,
    description: "share: a recipient; access: the opener and the client's country",
  })
  to!: TransferEndDto;
  @ApiProperty({ description: 'False for a blocked attempt: nothing moved' }) completed!: boolean;
  @ApiProperty({ enum: ['uk', 'non-uk'] }) verdict!: string;
  @ApiProperty({
    type: [String],
    description: 'sender, recipient, storage, client, or a blocked attempt’s reason',
  })
  nonUkBecause!: string[];
  @ApiProperty({
    nullable: true,
    type: String,
    description: "blocked: the refusal's code; destroyed: `retention` or `erasure`",
  })
  reason!: string | null;
  @ApiProperty({ nullable: true, type: String }) destination!: string | null;
}

export class TransferSummaryDto {
  @ApiProperty({ description: 'Movements and attempts checked' }) checked!: number;
  @ApiProperty({ description: 'Non-UK movements attempted, blocked ones included' }) nonUkAttempted!: number;
  @ApiProperty({ description: 'Non-UK movements that went ahead: must be 0' }) nonUkCompleted!: number;
  @ApiProperty({ description: 'Payloads destroyed (retention or erasure); not counted in checked' })
  destroyed!: number;
}

export class TransferListDto {
  @ApiProperty({ type: CutDto }) asOf!: CutDto;
  @ApiProperty({ enum: ['platform', 'organisation'] }) scope!: string;
  @ApiProperty({ type: [TransferDto] }) items!: TransferDto[];
  @ApiProperty({ nullable: true, type: String }) nextAfter!: string | null;
  @ApiProperty({
    type: TransferSummaryDto,
    description: 'Over everything in scope up to asOf, not just this page',
  })
  summary!: TransferSummaryDto;
}

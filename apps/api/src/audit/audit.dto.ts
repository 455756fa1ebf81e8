import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { SUBJECT_SCHEMES } from '@accord/domain';
import { AS_OF_PATTERN } from './audit-cut';

export const DEFAULT_HISTORY_LIMIT = 100;
export const MAX_HISTORY_LIMIT = 1000;

export class HistoryQueryDto {
  @ApiPropertyOptional({
    description:
      'Answer as things stood then: a global position, or an ISO-8601 time (the last event that occurred at or before it). Default: now.',
    example: '2025-03-03T09:30:00Z',
  })
  @IsOptional()
  @IsString()
  @Matches(AS_OF_PATTERN, { message: 'asOf must be a position or an ISO-8601 time' })
  asOf?: string;

  @ApiPropertyOptional({ description: "Exclusive position to continue from: the previous page's nextAfter" })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;

  @ApiPropertyOptional({ default: DEFAULT_HISTORY_LIMIT, minimum: 1, maximum: MAX_HISTORY_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_HISTORY_LIMIT)
  limit?: number;
}

export class SubjectHistoryQueryDto extends HistoryQueryDto {
  @ApiProperty({ enum: SUBJECT_SCHEMES })
  @IsIn([...SUBJECT_SCHEMES])
  scheme!: string;

  @ApiProperty({
    description: 'The identifier; only its HMAC reference is looked up, never stored or logged',
  })
  @IsString()
  @MaxLength(200)
  value!: string;
}

export class AsOfQueryDto {
  @ApiPropertyOptional({ description: 'A global position or an ISO-8601 time; default now' })
  @IsOptional()
  @IsString()
  @Matches(AS_OF_PATTERN, { message: 'asOf must be a position or an ISO-8601 time' })
  asOf?: string;
}

export class EventsQueryDto {
  @ApiPropertyOptional({ description: 'Exclusive position to resume from (0: the start of the log)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(0)
  after?: number;

  @ApiPropertyOptional({ description: 'At most this many events (default: to the end of the log)' })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  limit?: number;
}

export class CutDto {
  @ApiProperty({ description: 'Every event at or below this global position, and none after it' })
  position!: number;
  @ApiProperty({ nullable: true, type: String, description: 'The instant the answer stands for' })
  at!: string | null;
}

export class AuditActorDto {
  @ApiProperty({ nullable: true, type: String }) userId!: string | null;
  @ApiProperty({ nullable: true, type: String }) orgId!: string | null;
  @ApiProperty({ nullable: true, type: String }) role!: string | null;
  @ApiProperty({ nullable: true, type: String, description: 'retention, detector, ... for the platform' })
  system!: string | null;
  @ApiPropertyOptional({
    description:
      'userId of whoever issued the API token the actor acted with, when that was someone else (an IG lead, or the admin for a first IG lead)',
  })
  tokenIssuer?: string;
}

export class AuditEntryDto {
  @ApiProperty() position!: number;
  @ApiProperty() eventId!: string;
  @ApiProperty({ description: 'DocumentShared, DocumentAccessed, AccessDenied, TransferBlocked, ...' })
  type!: string;
  @ApiProperty() occurredAt!: string;
  @ApiProperty() streamId!: string;
  @ApiProperty({ nullable: true, type: String }) documentId!: string | null;
  @ApiProperty({ nullable: true, type: String }) agreementId!: string | null;
  @ApiProperty({ nullable: true, type: String }) organisationId!: string | null;
  @ApiProperty({ nullable: true, type: String }) userId!: string | null;
  @ApiProperty({ type: AuditActorDto }) actor!: AuditActorDto;
  @ApiProperty({ nullable: true, type: String, description: 'The organisation a decision was about' })
  orgId!: string | null;
  @ApiProperty({
    type: 'object',
    additionalProperties: true,
    description: "The event's data without titles, subject references, names, emails or key material",
  })
  details!: Record<string, unknown>;
}

export class HistoryDto {
  @ApiProperty({ type: CutDto }) asOf!: CutDto;
  @ApiProperty({ enum: ['platform', 'organisation'] }) scope!: string;
  @ApiProperty({ type: [AuditEntryDto], description: 'In log order' }) items!: AuditEntryDto[];
  @ApiProperty({ nullable: true, type: Number, description: 'Pass as `after` for the next page' })
  nextAfter!: number | null;
}

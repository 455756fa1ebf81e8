import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsISO8601, IsOptional, IsString, MaxLength, MinLength } from 'class-validator';

export class LegalHoldRequestDto {
  @ApiProperty({ description: 'Why the hold is placed or released (no personal data)', maxLength: 500 })
  @IsString()
  @MinLength(1)
  @MaxLength(500)
  reason!: string;
}

export class LegalHoldOutcomeDto {
  @ApiProperty() documentId!: string;
  @ApiProperty() legalHold!: boolean;
  @ApiProperty() retainUntil!: string;
  @ApiProperty({ description: 'retainUntil has passed: destruction is queued (or runs at the next sweep)' })
  due!: boolean;
}

export class RetentionScheduleQueryDto {
  @ApiPropertyOptional({ description: 'Only documents whose retainUntil is at or before this instant' })
  @IsOptional()
  @IsISO8601({ strict: true })
  dueBefore?: string;
}

export class RetentionEntryDto {
  @ApiProperty() documentId!: string;
  @ApiProperty() title!: string;
  @ApiProperty() senderOrg!: string;
  @ApiProperty({ type: [String] }) recipients!: string[];
  @ApiProperty() retainUntil!: string;
  @ApiProperty() legalHold!: boolean;
  @ApiProperty({ description: 'RetentionExpired is recorded: destruction is committed' })
  retentionExpired!: boolean;
  @ApiProperty() payloadDestroyed!: boolean;
  @ApiProperty({ enum: ['active', 'held', 'restricted', 'destroyed', 'erased'] }) state!: string;
}

export class RetentionScheduleDto {
  @ApiProperty({ type: [RetentionEntryDto] }) items!: RetentionEntryDto[];
}

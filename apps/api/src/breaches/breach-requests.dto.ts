import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsOptional,
  IsString,
  MaxLength,
  Min,
} from 'class-validator';
import { BREACH_SEVERITIES, MAX_BREACH_TEXT } from '@accord/domain';

/** Shapes only: the rules (discovery not in the future, known categories, ...) are the domain's own codes. */
const LIST = 200;

export class ReportBreachDto {
  @ApiProperty({
    description: 'When the breach was discovered (ISO-8601 instant); the ICO clock starts here',
  })
  @IsString()
  @MaxLength(40)
  discoveredAt!: string;

  @ApiProperty({ description: 'What happened; stored in the breach stream, never copied into notifications' })
  @IsString()
  @MaxLength(MAX_BREACH_TEXT)
  description!: string;

  @ApiProperty({ description: 'A near miss: no personal data actually left its controller' })
  @IsBoolean()
  nearMiss!: boolean;

  @ApiProperty({ enum: BREACH_SEVERITIES })
  @IsString()
  @IsIn([...BREACH_SEVERITIES])
  severity!: string;

  @ApiPropertyOptional({ description: 'The agreement involved; every party of it is notified' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  agreementId?: string;

  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIST)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  documentIds?: string[];

  @ApiPropertyOptional({ type: [String], example: ['name', 'health'] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIST)
  @IsString({ each: true })
  @MaxLength(100, { each: true })
  dataCategories?: string[];

  @ApiPropertyOptional({ description: 'Approximate number of data subjects affected', minimum: 0 })
  @IsOptional()
  @IsInt()
  @Min(0)
  approxSubjects?: number;
}

export class AssessBreachDto {
  @ApiProperty({ description: 'Must the ICO be told (UK GDPR Art 33)?' })
  @IsBoolean()
  icoReportable!: boolean;
  @ApiProperty() @IsString() @MaxLength(MAX_BREACH_TEXT) rationale!: string;
}

export class IcoNotificationDto {
  @ApiProperty({ description: "The ICO's case reference" }) @IsString() @MaxLength(200) reference!: string;
  @ApiPropertyOptional({ description: 'When the ICO was told (default: now)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  notifiedAt?: string;
}

export class SubjectNotificationDto {
  @ApiPropertyOptional({ description: 'When the data subjects were told (default: now)' })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  notifiedAt?: string;
}

export class CloseBreachDto {
  @ApiProperty() @IsString() @MaxLength(MAX_BREACH_TEXT) outcome!: string;
  @ApiProperty() @IsString() @MaxLength(MAX_BREACH_TEXT) lessons!: string;
}

export class ListBreachesQueryDto {
  @ApiPropertyOptional({
    description: 'true: only reportable breaches past 72 hours from discovery without an ICO notification',
  })
  @IsOptional()
  @Type(() => String)
  @IsIn(['true', 'false'])
  overdue?: string;
}

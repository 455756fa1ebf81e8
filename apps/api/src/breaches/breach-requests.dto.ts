import { applyDecorators } from '@nestjs/common';
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
  Length,
  MaxLength,
  Min,
  ValidateBy,
  ValidateIf,
  ValidationArguments,
} from 'class-validator';
import { BREACH_SEVERITIES, MAX_BREACH_TEXT, MAX_CONTAINMENT_REASON } from '@accord/domain';

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

  @ApiPropertyOptional({
    type: [String],
    description: 'Documents involved; each one the reporting organisation sent or received',
  })
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

export const CONTAINMENT_REQUESTS = ['suspend-user', 'revoke-key'] as const;
export type ContainmentRequest = (typeof CONTAINMENT_REQUESTS)[number];

/** Validated when its action is asked for or when sent; sent with the other action it is refused. */
const forAction = (action: ContainmentRequest): PropertyDecorator[] => [
  ValidateIf((o: ContainmentDto, value: unknown) => o.action === action || value !== undefined),
  ValidateBy({
    name: 'forAction',
    validator: {
      validate: (_value: unknown, args?: ValidationArguments) =>
        (args?.object as ContainmentDto | undefined)?.action === action,
      defaultMessage: (args?: ValidationArguments) => `${args?.property ?? 'field'} goes with ${action} only`,
    },
  }),
];

/** `suspend-user` names `userId`, `revoke-key` names `fingerprint`; the other field is refused (400). */
export class ContainmentDto {
  @ApiProperty({ enum: CONTAINMENT_REQUESTS })
  @IsString()
  @IsIn([...CONTAINMENT_REQUESTS])
  action!: ContainmentRequest;

  @ApiPropertyOptional({ description: "A user of the caller's organisation (suspend-user only)" })
  @applyDecorators(...forAction('suspend-user'))
  @IsString()
  @Length(1, 200)
  userId?: string;

  @ApiPropertyOptional({
    description: "An OpenPGP key fingerprint of the caller's organisation (revoke-key only)",
  })
  @applyDecorators(...forAction('revoke-key'))
  @IsString()
  @Length(1, 100)
  fingerprint?: string;

  @ApiProperty({ maxLength: MAX_CONTAINMENT_REASON })
  @IsString()
  @Length(1, MAX_CONTAINMENT_REASON)
  reason!: string;
}

export class ListBreachesQueryDto {
  @ApiPropertyOptional({
    description:
      'true: only breaches past 72 hours from discovery without an ICO notification, unless assessed as not reportable',
  })
  @IsOptional()
  @Type(() => String)
  @IsIn(['true', 'false'])
  overdue?: string;
}

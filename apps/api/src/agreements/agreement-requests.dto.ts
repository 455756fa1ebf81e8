import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  IsArray,
  IsBoolean,
  IsIn,
  IsInt,
  IsObject,
  IsOptional,
  IsString,
  MaxLength,
  Min,
  ValidateNested,
} from 'class-validator';

/**
 * Request shapes (docs/architecture.md §8.1, §15.3). The DTOs check the shape only; the vocabularies and the
 * UK GDPR rules are the domain's, so a refusal there carries the domain's own problem type (e.g.
 * agreement.art9-basis-required).
 */
const TEXT = 2000;
const LIST = 200;

export class DraftAgreementDto {
  @ApiProperty({ example: 'Staffordshire Safeguarding Children Board Information Sharing Agreement' })
  @IsString()
  @MaxLength(TEXT)
  title!: string;

  @ApiProperty({ type: [String], example: ['protecting children from maltreatment'] })
  @IsArray()
  @ArrayMaxSize(LIST)
  @IsString({ each: true })
  @MaxLength(TEXT, { each: true })
  purposes!: string[];

  @ApiProperty({ enum: [1, 2], description: '1 strategic; 2 operational, under a tier-1 parent' })
  @IsInt()
  tier!: number;

  @ApiPropertyOptional({ description: 'The tier-1 parent of a tier-2 agreement' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  parentId?: string;

  @ApiProperty({ example: 'Safer Community' })
  @IsString()
  @MaxLength(TEXT)
  category!: string;

  @ApiProperty({ description: "The lead organisation: the caller's own", example: 'staffordshire-cc' })
  @IsString()
  @MaxLength(200)
  leadOrg!: string;

  @ApiProperty({ type: [String], example: ['staffordshire-cc', 'staffordshire-police'] })
  @IsArray()
  @ArrayMaxSize(LIST)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  parties!: string[];

  @ApiProperty({
    type: [String],
    example: ['uk-gdpr-art6-1-e', 'uk-gdpr-art9-2-g', 'dpa2018-sch1-pt2-para18'],
  })
  @IsArray()
  @ArrayMaxSize(LIST)
  @IsString({ each: true })
  lawfulBases!: string[];

  @ApiProperty({ type: [String], example: ['name', 'address', 'health'] })
  @IsArray()
  @ArrayMaxSize(LIST)
  @IsString({ each: true })
  dataCategories!: string[];

  @ApiProperty({ description: 'ISO-8601 duration', example: 'P6Y' })
  @IsString()
  @MaxLength(64)
  retentionPeriod!: string;

  @ApiPropertyOptional({ default: 12, minimum: 1, maximum: 60 })
  @IsOptional()
  @IsInt()
  reviewIntervalMonths?: number;

  @ApiPropertyOptional({
    default: false,
    description: "Caldicott: every open must state the document's purpose (docs/architecture.md §26)",
  })
  @IsOptional()
  @IsBoolean()
  requirePurposeConfirmation?: boolean;
}

/** Any field of the terms; `tier` and `parentId` are accepted only unchanged (the domain refuses a move). */
export class AgreementChangesDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT) title?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIST)
  @IsString({ each: true })
  @MaxLength(TEXT, { each: true })
  purposes?: string[];
  @ApiPropertyOptional() @IsOptional() @IsInt() tier?: number;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) parentId?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT) category?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(200) leadOrg?: string;
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIST)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  parties?: string[];
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIST)
  @IsString({ each: true })
  lawfulBases?: string[];
  @ApiPropertyOptional({ type: [String] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIST)
  @IsString({ each: true })
  dataCategories?: string[];
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(64) retentionPeriod?: string;
  @ApiPropertyOptional() @IsOptional() @IsInt() reviewIntervalMonths?: number;
  @ApiPropertyOptional() @IsOptional() @IsBoolean() requirePurposeConfirmation?: boolean;
}

export class AmendAgreementDto {
  @ApiProperty({ type: AgreementChangesDto })
  @IsObject()
  @ValidateNested()
  @Type(() => AgreementChangesDto)
  changes!: AgreementChangesDto;

  @ApiProperty({ example: 'Working Together 2023 amendment' })
  @IsString()
  @MaxLength(TEXT)
  reasonForChange!: string;
}

export class SignAgreementDto {
  @ApiProperty({ description: 'Who signs for the organisation' })
  @IsString()
  @MaxLength(TEXT)
  signatory!: string;

  @ApiProperty({ example: "Director of Children's Services" })
  @IsString()
  @MaxLength(TEXT)
  position!: string;

  @ApiPropertyOptional({ description: 'The version the signatory read; refused (409) if a newer one exists' })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
}

export class ReviewAgreementDto {
  @ApiPropertyOptional({
    description:
      'An earlier next review than the agreement interval gives (date or instant); never later than it',
    example: '2025-03-31',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  nextReviewDue?: string;
}

export class ReasonDto {
  @ApiProperty()
  @IsString()
  @MaxLength(TEXT)
  reason!: string;
}

export class TerminateAgreementDto {
  @ApiProperty({ description: 'ISO-8601 date or instant, today or later', example: '2025-12-31' })
  @IsString()
  @MaxLength(64)
  effectiveAt!: string;
}

export const AGREEMENT_STATUSES = ['draft', 'active', 'suspended', 'terminated'] as const;

export class ListAgreementsQueryDto {
  @ApiPropertyOptional({ enum: AGREEMENT_STATUSES })
  @IsOptional()
  @IsIn(AGREEMENT_STATUSES)
  status?: (typeof AGREEMENT_STATUSES)[number];

  @ApiPropertyOptional({ description: 'Only agreements this organisation is a party to' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  party?: string;
}

import { ApiProperty, ApiPropertyOptional, ApiPropertyOptions } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { LEGAL_GATEWAYS } from '@accord/domain';
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
  ValidateBy,
  ValidateNested,
} from 'class-validator';

/**
 * Request shapes (docs/architecture.md §8.1, §15.3). The DTOs check the shape only; the vocabularies and the
 * UK GDPR rules are the domain's, so a refusal there carries the domain's own problem type (e.g.
 * agreement.art9-basis-required).
 */
const TEXT = 2000;
const LIST = 200;

/**
 * A purpose is text, or `{text, narrows}` on a tier-2 agreement naming the parent purpose it narrows
 * (docs/architecture.md §8.4); the domain judges the narrowing, the edge only the shape.
 */
export function isPurposeEntry(value: unknown): boolean {
  if (typeof value === 'string') return value.length <= TEXT;
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const { text, narrows, ...rest } = value as Record<string, unknown>;
  return (
    Object.keys(rest).length === 0 &&
    typeof text === 'string' &&
    text.length <= TEXT &&
    (narrows === undefined || (typeof narrows === 'string' && narrows.length <= TEXT))
  );
}

const IsPurposeList = () =>
  ValidateBy({
    name: 'isPurposeList',
    validator: {
      validate: (value: unknown) => Array.isArray(value) && value.every(isPurposeEntry),
      defaultMessage: () =>
        'purposes must be an array of strings or {text, narrows} objects (narrows: a parent purpose)',
    },
  });

const PURPOSES_DOC: ApiPropertyOptions = {
  description: 'Each a string, or on a tier-2 agreement {text, narrows} naming the parent purpose it narrows',
  example: ['protecting children from maltreatment'],
  type: 'array',
  items: {
    oneOf: [
      { type: 'string' },
      {
        type: 'object',
        properties: { text: { type: 'string' }, narrows: { type: 'string' } },
        required: ['text'],
      },
    ],
  },
};

/**
 * What an agreement says beyond the rules Accord enforces (docs/architecture.md §28.1): the same optional
 * fields in a draft and in an amendment's changes, so both classes extend this one.
 */
export class AgreementParticularsDto {
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: {
      type: 'object',
      properties: { name: { type: 'string' }, email: { type: 'string' } },
      required: ['name', 'email'],
    },
    description: 'Per party organisation id: its data-protection contact {name, email}',
    example: { 'staffordshire-cc': { name: 'Data Protection Officer', email: 'dpo@staffordshire.gov.uk' } },
  })
  @IsOptional()
  @IsObject()
  dataProtectionContacts?: Record<string, { name: string; email: string }>;

  @ApiPropertyOptional({ example: 'DPIA-2023-017' })
  @IsOptional()
  @IsString()
  @MaxLength(TEXT)
  dpiaReference?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Per party organisation id: its privacy notice (https)',
    example: { 'staffordshire-cc': 'https://www.staffordshire.gov.uk/privacy' },
  })
  @IsOptional()
  @IsObject()
  privacyNoticeUrls?: Record<string, string>;

  @ApiPropertyOptional({ type: [String], enum: Object.keys(LEGAL_GATEWAYS) })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIST)
  @IsString({ each: true })
  legalGateways?: string[];

  @ApiPropertyOptional({ type: [String], description: 'Gateways outside the vocabulary, as free text' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIST)
  @IsString({ each: true })
  @MaxLength(TEXT, { each: true })
  otherLegalGateways?: string[];

  @ApiPropertyOptional({ example: '2023-06-20' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  ratifiedOn?: string;

  @ApiPropertyOptional({ description: 'A stated first review date (YYYY-MM-DD)', example: '2024-03-19' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  firstReviewDue?: string;

  @ApiPropertyOptional({ default: 6, minimum: 1, maximum: 60 })
  @IsOptional()
  @IsInt()
  firstReviewAfterMonths?: number;

  @ApiPropertyOptional({ description: 'The version as the partners number it', example: '1.1' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  versionLabel?: string;
  @ApiPropertyOptional({ description: 'Days of notice a termination or withdrawal gives', minimum: 0 })
  @IsOptional()
  @IsInt()
  noticePeriodDays?: number;
  @ApiPropertyOptional({
    description: 'Sharing and opening need data-protection training within this many months',
    minimum: 1,
  })
  @IsOptional()
  @IsInt()
  requireTrainingWithinMonths?: number;
}

export class DraftAgreementDto extends AgreementParticularsDto {
  @ApiProperty({ example: 'Staffordshire Safeguarding Children Board Information Sharing Agreement' })
  @IsString()
  @MaxLength(TEXT)
  title!: string;

  @ApiProperty(PURPOSES_DOC)
  @IsArray()
  @ArrayMaxSize(LIST)
  @IsPurposeList()
  purposes!: (string | { text: string; narrows?: string })[];

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
export class AgreementChangesDto extends AgreementParticularsDto {
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT) title?: string;
  @ApiPropertyOptional(PURPOSES_DOC)
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(LIST)
  @IsPurposeList()
  purposes?: (string | { text: string; narrows?: string })[];
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

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'string' },
    description: 'Tier 2: purpose text -> the parent purpose it narrows',
  })
  @IsOptional()
  @IsObject()
  purposeNarrows?: Record<string, string>;
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
  @ApiPropertyOptional({
    description: 'The date as signed on the document (YYYY-MM-DD), if not today; never after today',
    example: '2023-09-19',
  })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  signedOn?: string;

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

export class ImportedVersionDto {
  @ApiPropertyOptional({ example: '1.1' }) @IsOptional() @IsString() @MaxLength(64) versionLabel?: string;
  @ApiPropertyOptional({ example: '2024-01-04' }) @IsOptional() @IsString() @MaxLength(64) date?: string;
  @ApiPropertyOptional({ example: '2024-01-04' })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  ratifiedOn?: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT) reasonForChange?: string;
  @ApiPropertyOptional({ type: AgreementChangesDto, description: 'Changes against the previous version' })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => AgreementChangesDto)
  changes?: AgreementChangesDto;
}

export class ImportedSignatureDto {
  @ApiProperty({ example: 'staffordshire-cc' }) @IsString() @MaxLength(200) orgId!: string;
  @ApiPropertyOptional() @IsOptional() @IsString() @MaxLength(TEXT) signatory?: string;
  @ApiProperty({ example: "Director of Children's Services" }) @IsString() @MaxLength(TEXT) position!: string;
  @ApiProperty({ example: '2023-09-19' }) @IsString() @MaxLength(64) signedOn!: string;
  @ApiPropertyOptional({ description: "Accord's version number (1, 2, ...)" })
  @IsOptional()
  @IsInt()
  @Min(1)
  version?: number;
  @ApiPropertyOptional({ description: "The partners' version label; else the version in force at its date" })
  @IsOptional()
  @IsString()
  @MaxLength(64)
  versionLabel?: string;
}

/** POST /agreements/import (docs/architecture.md §28). */
export class ImportAgreementDto {
  @ApiProperty({ description: 'Where the agreement comes from (document, URL, register)' })
  @IsString()
  @MaxLength(TEXT)
  source!: string;

  @ApiProperty({ type: DraftAgreementDto, description: 'The terms of the first version' })
  @IsObject()
  @ValidateNested()
  @Type(() => DraftAgreementDto)
  terms!: DraftAgreementDto;

  @ApiPropertyOptional({ type: [ImportedVersionDto], description: 'Every version, the first included' })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => ImportedVersionDto)
  versions?: ImportedVersionDto[];

  @ApiPropertyOptional({ type: [ImportedSignatureDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(1000)
  @ValidateNested({ each: true })
  @Type(() => ImportedSignatureDto)
  signatures?: ImportedSignatureDto[];
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

export class JoinAgreementDto {
  @ApiProperty({ description: 'The organisation that joins', example: 'staffordshire-fire' })
  @IsString()
  @MaxLength(200)
  orgId!: string;
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

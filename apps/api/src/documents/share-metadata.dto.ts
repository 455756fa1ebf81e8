import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { plainToInstance, Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  MinLength,
  ValidateNested,
  validateSync,
} from 'class-validator';
import { fieldErrors, validationFailed } from '@accord/platform';

/**
 * The `metadata` part of POST /documents (docs/architecture.md §15.3). The shape only: vocabularies, parties
 * and the UK GDPR conditions are the share policy's, so each of those refusals carries its own problem type.
 */
export const MAX_TITLE_LENGTH = 300;

export class SubjectDto {
  @ApiProperty({ enum: ['nhs-number', 'local-ref'] })
  @IsString()
  @MaxLength(20)
  scheme!: string;

  @ApiProperty({ description: 'Never stored: only its HMAC reference is', example: '943 476 5919' })
  @IsString()
  @MaxLength(200)
  value!: string;
}

export class ShareMetadataDto {
  @ApiProperty({ description: 'The agreement the share is made under' })
  @IsString()
  @Matches(/^[A-Za-z0-9-]{1,64}$/)
  agreementId!: string;

  @ApiProperty({ type: [String], example: ['staffordshire-police'] })
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(200, { each: true })
  recipients!: string[];

  @ApiProperty({ description: "One of the agreement's purposes, verbatim" })
  @IsString()
  @MaxLength(2000)
  purpose!: string;

  @ApiProperty({ type: [String], example: ['name', 'health'] })
  @IsArray()
  @ArrayMaxSize(100)
  @IsString({ each: true })
  @MaxLength(64, { each: true })
  dataCategories!: string[];

  @ApiPropertyOptional({ type: [SubjectDto] })
  @IsOptional()
  @IsArray()
  @ArrayMaxSize(100)
  @ValidateNested({ each: true })
  @Type(() => SubjectDto)
  subjects?: SubjectDto[];

  @ApiProperty({ enum: ['fact', 'opinion', 'mixed'] })
  @IsIn(['fact', 'opinion', 'mixed'])
  nature!: 'fact' | 'opinion' | 'mixed';

  @ApiProperty({ description: 'Visible to the parties only; never logged' })
  @IsString()
  @MinLength(1)
  @MaxLength(MAX_TITLE_LENGTH)
  title!: string;

  @ApiPropertyOptional({
    description: "Earlier than the agreement's retention allows, if wanted (ISO-8601 date or instant)",
  })
  @IsOptional()
  @IsString()
  @MaxLength(40)
  retainUntil?: string;

  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    example: { 'staffordshire-police': ['0190a1b2-0000-7000-8000-0000000000a1'] },
    description:
      'Per recipient organisation, the teams (ids from GET /organisations/{org}/teams) whose members alone open it; an organisation left out gets its default receiving team, or all of it (docs/architecture.md §24)',
  })
  @IsOptional()
  @IsObject()
  recipientTeams?: Record<string, string[]>;
}

/** The metadata part, checked as the validation pipe checks a JSON body; pointers start at `/metadata`. */
export function validShareMetadata(raw: unknown): ShareMetadataDto {
  const dto = plainToInstance(ShareMetadataDto, raw);
  const errors = validateSync(dto, {
    whitelist: true,
    forbidNonWhitelisted: true,
    validationError: { target: false, value: false },
  });
  if (errors.length > 0) throw validationFailed(fieldErrors(errors, '/metadata'));
  if (dto.title.trim() === '')
    throw validationFailed([{ pointer: '/metadata/title', detail: 'title must not be blank' }]);
  if (dto.recipientTeams !== undefined) {
    const entries = Object.entries(dto.recipientTeams);
    const bad =
      entries.length > 100 ||
      entries.some(
        ([, teams]) =>
          !Array.isArray(teams) ||
          teams.length < 1 ||
          teams.length > 100 ||
          teams.some((t) => typeof t !== 'string' || !/^[0-9a-f-]{36}$/.test(t)),
      );
    if (bad)
      throw validationFailed([
        {
          pointer: '/metadata/recipientTeams',
          detail: 'each organisation maps to a list of 1 to 100 team ids',
        },
      ]);
  }
  return dto;
}

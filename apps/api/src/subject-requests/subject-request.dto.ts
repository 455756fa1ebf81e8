import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsIn, IsObject, IsOptional, IsString, MaxLength, ValidateNested } from 'class-validator';
import { MAX_SUBJECT_REQUEST_REASON, SUBJECT_REQUEST_KINDS, SUBJECT_SCHEMES } from '@accord/domain';

/** Shapes only: the NHS number's check digit, the documents' rules and the exemptions are the domain's. */
export class SubjectIdentifierDto {
  @ApiProperty({ enum: SUBJECT_SCHEMES }) @IsString() @IsIn([...SUBJECT_SCHEMES]) scheme!: string;
  @ApiProperty({ description: 'The NHS number or local case reference; never stored, only its HMAC' })
  @IsString()
  @MaxLength(200)
  value!: string;
}

export class SubjectRequestDto {
  @ApiProperty({ enum: SUBJECT_REQUEST_KINDS })
  @IsString()
  @IsIn([...SUBJECT_REQUEST_KINDS])
  kind!: string;

  @ApiProperty({ type: SubjectIdentifierDto })
  @IsObject()
  @ValidateNested()
  @Type(() => SubjectIdentifierDto)
  subject!: SubjectIdentifierDto;

  @ApiProperty({ description: 'Why, e.g. "letter of 3 May; accuracy of the referral disputed"' })
  @IsString()
  @MaxLength(MAX_SUBJECT_REQUEST_REASON)
  reason!: string;

  @ApiPropertyOptional({ description: 'Rectification: the document that is corrected (superseded)' })
  @IsOptional()
  @IsString()
  @MaxLength(36)
  documentId?: string;

  @ApiPropertyOptional({
    description: 'Rectification: the corrected document, already shared with POST /documents',
  })
  @IsOptional()
  @IsString()
  @MaxLength(36)
  correctedDocumentId?: string;
}

export class ErasureOverrideDto {
  @ApiProperty() documentId!: string;
  @ApiProperty() agreementId!: string;
  @ApiProperty({ description: 'UK GDPR Art 17(3) point (art17-3-b ...) or dpa2018-s47' }) exemption!: string;
  @ApiPropertyOptional() lawfulBasis?: string;
  @ApiPropertyOptional() legalHold?: boolean;
}

export class ErasureOutcomeDto {
  @ApiProperty({ type: [String], description: 'Erased: payload destroyed, title and subject index gone' })
  erased!: string[];
  @ApiProperty({ type: [ErasureOverrideDto], description: 'Kept, with the exemption that overrides erasure' })
  kept!: ErasureOverrideDto[];
  @ApiProperty({ nullable: true, type: String }) refusal!: string | null;
}

export class RectificationOutcomeDto {
  @ApiProperty() supersededId!: string;
  @ApiProperty() correctedId!: string;
}

export const SUBJECT_REQUEST_OUTCOMES = [
  'in-progress',
  'provided',
  'restricted',
  'lifted',
  'erased',
  'partially-erased',
  'refused',
  'nothing-to-erase',
  'rectified',
] as const;

export class SubjectRequestViewDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: SUBJECT_REQUEST_KINDS }) kind!: string;
  @ApiProperty({ enum: ['received', 'completed'] }) status!: string;
  @ApiProperty({ enum: SUBJECT_REQUEST_OUTCOMES }) outcome!: string;
  @ApiProperty() orgId!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() receivedAt!: string;
  @ApiProperty({ nullable: true, type: String }) completedAt!: string | null;
  @ApiProperty({ type: [String], description: 'The documents reported, restricted, lifted or erased' })
  documentIds!: string[];
  @ApiPropertyOptional({ type: ErasureOutcomeDto, nullable: true }) erasure!: ErasureOutcomeDto | null;
  @ApiPropertyOptional({ type: RectificationOutcomeDto, nullable: true })
  rectification!: RectificationOutcomeDto | null;
  @ApiPropertyOptional({ nullable: true, type: String, description: 'Access: where the report is' })
  report!: string | null;
  @ApiProperty({
    type: [String],
    description:
      'Erasure: the controllers (sending organisations) of documents the organisation only received, to whom ' +
      'it redirects the person',
  })
  redirectTo!: string[];
}

/** The access report's JSON form (SubjectAccessReport in libs/domain), for the OpenAPI document. */
export class ReportOpeningDto {
  @ApiProperty({ description: 'ISO-8601 UTC' }) at!: string;
  @ApiProperty() orgId!: string;
  @ApiProperty({ type: String, nullable: true }) userId!: string | null;
  @ApiProperty({ type: String, nullable: true }) role!: string | null;
}

export class ReportLawfulBasisDto {
  @ApiProperty() code!: string;
  @ApiProperty() label!: string;
}

export class ReportAgreementDto {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiProperty() version!: number;
  @ApiProperty({ type: [ReportLawfulBasisDto] }) lawfulBases!: ReportLawfulBasisDto[];
}

export class ReportDocumentDto {
  @ApiProperty() documentId!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ enum: ['fact', 'opinion', 'mixed'] }) nature!: string;
  @ApiProperty({ enum: ['sent', 'received'], description: "How the requester's organisation holds it" })
  held!: 'sent' | 'received';
  @ApiProperty({ description: 'The sending organisation' }) obtainedFrom!: string;
  @ApiProperty() sharedAt!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The user who shared it' }) sharedBy!:
    string | null;
  @ApiProperty({ type: ReportAgreementDto }) agreement!: ReportAgreementDto;
  @ApiProperty() purpose!: string;
  @ApiProperty({ type: [String] }) dataCategories!: string[];
  @ApiProperty({ type: [String] }) sharedWith!: string[];
  @ApiProperty() retainUntil!: string;
  @ApiProperty({ enum: ['active', 'held', 'restricted', 'destroyed', 'erased'] }) state!: string;
  @ApiProperty({ type: String, nullable: true }) supersededBy!: string | null;
  @ApiProperty({ type: [ReportOpeningDto] }) openings!: ReportOpeningDto[];
}

export class SubjectAccessReportDto {
  @ApiProperty() requestId!: string;
  @ApiProperty() orgId!: string;
  @ApiProperty() reason!: string;
  @ApiProperty() receivedAt!: string;
  @ApiProperty({ description: 'The instant the report stands at: openings after it are not in it' })
  asOf!: string;
  @ApiProperty({ type: [ReportDocumentDto] }) documents!: ReportDocumentDto[];
}

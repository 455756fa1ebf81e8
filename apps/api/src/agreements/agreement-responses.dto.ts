import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { AGREEMENT_STATUSES } from './agreement-requests.dto';

/** Response shapes, for the OpenAPI document; the handlers build plain objects of the same shape. */
const STATUS = { enum: AGREEMENT_STATUSES };
const NULLABLE_INT = { type: Number, nullable: true } as const;
const NULLABLE_TEXT = { type: String, nullable: true } as const;

export class AgreementOutcomeDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: 'The latest version: the one parties sign' }) version!: number;
  @ApiProperty(STATUS) status!: string;
  @ApiProperty({ ...NULLABLE_INT, description: 'The version that governs shares' })
  activeVersion!: number | null;
  @ApiProperty({ ...NULLABLE_INT, description: 'A version awaiting signatures' })
  pendingVersion!: number | null;
  @ApiProperty() reviewOverdue!: boolean;
  @ApiProperty(NULLABLE_TEXT) nextReviewDue!: string | null;
  @ApiProperty(NULLABLE_TEXT) terminationEffectiveAt!: string | null;
}

export class OrganisationRefDto {
  @ApiProperty() id!: string;
  @ApiProperty({ ...NULLABLE_TEXT, description: 'Null when the organisation is not in the directory' })
  name!: string | null;
}

export class AgreementTermsDto {
  @ApiProperty() title!: string;
  @ApiProperty({ type: [String] }) purposes!: string[];
  @ApiProperty({ enum: [1, 2] }) tier!: number;
  @ApiPropertyOptional() parentId?: string;
  @ApiProperty() category!: string;
  @ApiProperty() leadOrg!: string;
  @ApiProperty({ type: [String] }) parties!: string[];
  @ApiProperty({ type: [String] }) lawfulBases!: string[];
  @ApiProperty({ type: [String] }) dataCategories!: string[];
  @ApiProperty({ example: 'P6Y' }) retentionPeriod!: string;
  @ApiProperty() reviewIntervalMonths!: number;
  @ApiPropertyOptional({ description: "Opens must state the document's purpose (present only when true)" })
  requirePurposeConfirmation?: boolean;
  @ApiPropertyOptional({
    description: "Tier 2: for each purpose not word for word the parent's, the parent purpose it narrows",
    type: 'object',
    additionalProperties: { type: 'string' },
  })
  purposeNarrows?: Record<string, string>;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: {
      type: 'object',
      properties: { name: { type: 'string' }, email: { type: 'string' } },
      required: ['name', 'email'],
    },
    description: 'Per party: {name, email}',
  })
  dataProtectionContacts?: Record<string, { name: string; email: string }>;
  @ApiPropertyOptional() dpiaReference?: string;
  @ApiPropertyOptional({ type: 'object', additionalProperties: { type: 'string' } })
  privacyNoticeUrls?: Record<string, string>;
  @ApiPropertyOptional({ type: [String] }) legalGateways?: string[];
  @ApiPropertyOptional({ type: [String] }) otherLegalGateways?: string[];
  @ApiPropertyOptional() ratifiedOn?: string;
  @ApiPropertyOptional() firstReviewDue?: string;
  @ApiPropertyOptional() firstReviewAfterMonths?: number;
  @ApiPropertyOptional() versionLabel?: string;
}

export class SignatureDto {
  @ApiProperty() orgId!: string;
  @ApiProperty() signatory!: string;
  @ApiProperty() position!: string;
  @ApiProperty({ description: 'When Accord recorded it' }) signedAt!: string;
  @ApiProperty({ ...NULLABLE_TEXT, description: 'The date as signed on the document, when given' })
  signedOn!: string | null;
}

export class WithdrawalDto {
  @ApiProperty() orgId!: string;
  @ApiProperty({ description: 'From when it neither sends nor opens under the agreement' })
  effectiveAt!: string;
}

export class ImportProvenanceDto {
  @ApiProperty() source!: string;
  @ApiProperty({ description: 'The user who imported it' }) importedBy!: string;
  @ApiProperty() importedAt!: string;
}

export class AgreementVersionDto {
  @ApiProperty() version!: number;
  @ApiProperty({ ...NULLABLE_TEXT, description: 'The version as the partners number it ("1.1")' })
  versionLabel!: string | null;
  @ApiProperty({
    enum: ['active', 'pending', 'superseded'],
    description: 'active governs shares; pending awaits signatures; superseded no longer applies',
  })
  state!: 'active' | 'pending' | 'superseded';
  @ApiProperty(NULLABLE_TEXT) reasonForChange!: string | null;
  @ApiProperty() createdAt!: string;
  @ApiProperty(NULLABLE_TEXT) activatedAt!: string | null;
  @ApiProperty({ type: AgreementTermsDto }) terms!: AgreementTermsDto;
  @ApiProperty({ type: [SignatureDto] }) signatures!: SignatureDto[];
  @ApiProperty({ type: [String], description: 'Parties yet to sign a pending version' })
  awaitingSignatureFrom!: string[];
}

export class AgreementSummaryDto extends AgreementOutcomeDto {
  @ApiProperty() title!: string;
  @ApiProperty() category!: string;
  @ApiProperty({ enum: [1, 2] }) tier!: number;
  @ApiProperty(NULLABLE_TEXT) parentId!: string | null;
  @ApiProperty({ type: OrganisationRefDto }) leadOrganisation!: OrganisationRefDto;
}

export class AgreementListDto {
  @ApiProperty({ type: [AgreementSummaryDto] }) items!: AgreementSummaryDto[];
}

export class AgreementSuspensionDto {
  @ApiProperty({ example: 'breach under investigation' }) reason!: string;
}

export class AgreementTerminationDto {
  @ApiProperty({ example: 'uhnm' }) noticeServedBy!: string;
  @ApiProperty({ example: '2025-12-31T00:00:00.000Z' }) effectiveAt!: string;
}

export class AgreementDetailDto extends AgreementSummaryDto {
  @ApiProperty({ type: AgreementTermsDto, description: 'The terms in force, or the draft before activation' })
  terms!: AgreementTermsDto;
  @ApiProperty({ type: [OrganisationRefDto] }) parties!: OrganisationRefDto[];
  @ApiProperty(NULLABLE_TEXT) firstActivatedAt!: string | null;
  @ApiProperty(NULLABLE_TEXT) lastReviewedAt!: string | null;
  @ApiProperty({ type: AgreementSuspensionDto, nullable: true }) suspension!: AgreementSuspensionDto | null;
  @ApiProperty({ type: AgreementTerminationDto, nullable: true })
  termination!: AgreementTerminationDto | null;
  @ApiProperty({ type: [WithdrawalDto], description: 'Parties that gave notice of withdrawal' })
  withdrawals!: WithdrawalDto[];
  @ApiProperty({ type: ImportProvenanceDto, nullable: true, description: 'Set when brought in by import' })
  imported!: ImportProvenanceDto | null;
  @ApiProperty({ type: [AgreementVersionDto] }) versions!: AgreementVersionDto[];
}

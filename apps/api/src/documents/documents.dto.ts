import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Matches, MaxLength, MinLength } from 'class-validator';

export class ListDocumentsQueryDto {
  @ApiPropertyOptional({ description: 'Only documents shared under this agreement' })
  @IsOptional()
  @IsString()
  @Matches(/^[A-Za-z0-9-]{1,64}$/)
  agreement?: string;

  @ApiPropertyOptional({
    description:
      'Only documents about this subject, as `scheme:value` (nhs-number:9434765919, local-ref:...)',
  })
  @IsOptional()
  @IsString()
  @MaxLength(220)
  subject?: string;
}

export class ShareOutcomeDto {
  @ApiProperty() documentId!: string;
  @ApiProperty({ description: 'SHA-256 (hex) of the stored OpenPGP message' }) sha256!: string;
  @ApiProperty() size!: number;
  @ApiProperty() retainUntil!: string;
  @ApiProperty() agreementVersion!: number;
  @ApiProperty({ enum: ['pre-encrypted', 'server-encrypted'] }) mode!: string;
  @ApiProperty({ type: [String] }) recipientFingerprints!: string[];
  @ApiProperty({ description: "The agreement's review is overdue (it stays in force)" })
  reviewOverdue!: boolean;
}

export class DocumentDto {
  @ApiProperty() id!: string;
  @ApiProperty() agreementId!: string;
  @ApiProperty() agreementVersion!: number;
  @ApiProperty() senderOrg!: string;
  @ApiProperty({ type: String, nullable: true, description: 'The user who shared it' }) sharedBy!:
    string | null;
  @ApiProperty({ type: [String] }) recipients!: string[];
  @ApiProperty() purpose!: string;
  @ApiProperty({ type: [String] }) dataCategories!: string[];
  @ApiProperty({ enum: ['fact', 'opinion', 'mixed'] }) nature!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ description: 'How many data subjects the document is about (references are not shown)' })
  subjectCount!: number;
  @ApiProperty() size!: number;
  @ApiProperty() sha256!: string;
  @ApiProperty({ type: [String] }) recipientFingerprints!: string[];
  @ApiProperty() storageRegion!: string;
  @ApiProperty({ enum: ['pre-encrypted', 'server-encrypted'] }) mode!: string;
  @ApiProperty() sharedAt!: string;
  @ApiProperty() retainUntil!: string;
  @ApiProperty({ enum: ['active', 'held', 'restricted', 'destroyed', 'erased', 'revoked'] }) state!: string;
  @ApiProperty() legalHold!: boolean;
  @ApiProperty() restricted!: boolean;
  @ApiProperty() payloadDestroyed!: boolean;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The corrected document that replaced this one (a rectification, UK GDPR Art 16)',
  })
  supersededBy!: string | null;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'On a corrected document: the document it replaced',
  })
  supersedes!: string | null;
  @ApiProperty({ description: 'Taken back by the sender (docs/architecture.md §25)' }) revoked!: boolean;
  @ApiProperty({
    type: 'object',
    additionalProperties: { type: 'array', items: { type: 'string' } },
    description:
      'Per recipient organisation, the teams it was addressed to; an organisation absent: all of it',
  })
  recipientTeams!: Record<string, string[]>;
}

export class OpenDocumentQueryDto {
  @ApiPropertyOptional({
    description:
      "The purpose of this open, one of the document's (required when the agreement asks for purpose confirmation)",
  })
  @IsOptional()
  @IsString()
  @MaxLength(2000)
  purpose?: string;
}

export class RevokeDocumentDto {
  @ApiProperty({ example: 'sent to the wrong partner' })
  @IsString()
  @MinLength(1)
  @MaxLength(2000)
  reason!: string;
}

export class RevocationOutcomeDto {
  @ApiProperty() documentId!: string;
  @ApiProperty() revokedAt!: string;
  @ApiProperty() revokedBy!: string;
  @ApiProperty({ type: [String], description: 'The recipient organisations, which are told' })
  recipients!: string[];
}

export class DocumentListDto {
  @ApiProperty({ type: [DocumentDto] }) items!: DocumentDto[];
}

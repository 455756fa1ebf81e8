import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsOptional, IsString, Length, Matches, MaxLength, ValidateIf } from 'class-validator';
import { ORGANISATION_KINDS, UK_JURISDICTIONS } from '@accord/domain';

/** Lower-case slug: it becomes the stream id `organisation-{id}` and appears in every URL. */
export const ORGANISATION_ID = /^[a-z0-9][a-z0-9-]{1,62}$/;

/** Vocabulary checks (kind, jurisdiction, ICO number) are the domain's, so each fails with its own code. */
export class NewOrganisationDto {
  @ApiProperty({ example: 'staffordshire-cc', pattern: ORGANISATION_ID.source })
  @IsString()
  @Matches(ORGANISATION_ID, { message: 'id must be a lower-case slug of 2 to 63 letters, digits and "-"' })
  id!: string;

  @ApiProperty({ example: 'Staffordshire County Council', maxLength: 200 })
  @IsString()
  @Length(1, 200)
  name!: string;

  @ApiProperty({ enum: ORGANISATION_KINDS, example: 'local-authority' })
  @IsString()
  @MaxLength(64)
  kind!: string;

  @ApiProperty({
    example: 'GB-ENG',
    description: `${UK_JURISDICTIONS.join(', ')} for the UK; ISO 3166-1 alpha-2 otherwise`,
  })
  @IsString()
  @MaxLength(16)
  jurisdiction!: string;

  @ApiPropertyOptional({
    // `string | null` reflects as Object: the type must be named for the schema to say string.
    type: String,
    example: 'Z1234567',
    nullable: true,
    description: 'Required for a UK organisation',
  })
  @IsOptional()
  @ValidateIf((_, v) => v !== null)
  @IsString()
  @MaxLength(16)
  icoRegistration?: string | null;
}

export class OrganisationIdDto {
  @ApiProperty({ example: 'staffordshire-cc' }) id!: string;
}

export class OrganisationDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ORGANISATION_KINDS }) kind!: string;
  @ApiProperty({ example: 'GB-ENG' }) jurisdiction!: string;
  @ApiProperty({ nullable: true, type: String }) icoRegistration!: string | null;
  @ApiProperty({ description: 'ISO-8601 UTC' }) registeredAt!: string;
}

export class OrganisationListDto {
  @ApiProperty({ type: [OrganisationDto] }) items!: OrganisationDto[];
}

export class AddKeyDto {
  @ApiProperty({ description: 'ASCII-armored OpenPGP public key (e.g. `gpg --export --armor`)' })
  @IsString()
  @Length(1, 1024 * 1024)
  publicKey!: string;
}

export class RevokeKeyDto {
  @ApiProperty({ example: 'key rotation', maxLength: 500 })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export const KEY_STATUSES = ['active', 'expired', 'revoked'] as const;
export type KeyStatusView = (typeof KEY_STATUSES)[number];

export class OrganisationKeyDto {
  @ApiProperty({ description: 'Lower-case hex, 40 digits (v4) or 64 (v6)' }) fingerprint!: string;
  @ApiProperty({ example: 'curve25519' }) algorithm!: string;
  @ApiProperty({ nullable: true, type: Number }) bits!: number | null;
  @ApiProperty({ nullable: true, type: String, description: 'ISO-8601 UTC, null: never' })
  expiresAt!: string | null;
  @ApiProperty({
    enum: KEY_STATUSES,
    description: 'revoked wins over expired; only active keys get new shares',
  })
  status!: KeyStatusView;
  @ApiProperty() addedAt!: string;
  @ApiProperty({ nullable: true, type: String }) revokedAt!: string | null;
  @ApiProperty({ description: 'ASCII-armored public key (public packets only)' }) publicKey!: string;
}

export class OrganisationKeyListDto {
  @ApiProperty({ type: [OrganisationKeyDto] }) items!: OrganisationKeyDto[];
}

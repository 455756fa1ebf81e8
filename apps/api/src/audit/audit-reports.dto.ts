import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { CutDto } from './audit.dto';

export class ChainBreakDto {
  @ApiProperty() eventId!: string;
  @ApiProperty() streamId!: string;
  @ApiProperty() revision!: number;
  @ApiProperty() position!: number;
  @ApiProperty({ enum: ['hash-mismatch', 'prev-hash-mismatch', 'revision-gap'] }) reason!: string;
}

export class BadObjectDto {
  @ApiProperty() documentId!: string;
  @ApiProperty() objectKey!: string;
  @ApiProperty({
    enum: ['sha256-mismatch', 'missing', 'unreadable', 'destroyed-but-present', 'destruction-unconfirmed'],
  })
  reason!: string;
  @ApiProperty({ description: 'As recorded in DocumentShared' }) expectedSha256!: string;
  @ApiPropertyOptional() actualSha256?: string;
}

export class IntegrityReportDto {
  @ApiProperty({ description: 'Every chain and every live object in scope checked out' }) ok!: boolean;
  @ApiProperty() eventsChecked!: number;
  @ApiProperty() streams!: number;
  @ApiPropertyOptional({ type: ChainBreakDto }) firstBadEvent?: ChainBreakDto;
  @ApiPropertyOptional({ description: "A chain is broken outside the caller's organisation's events" })
  breakOutsideScope?: boolean;
  @ApiProperty() objectsChecked!: number;
  @ApiProperty({ description: 'Destroyed payloads confirmed absent, every version included' })
  destroyedChecked!: number;
  @ApiProperty({ type: [BadObjectDto] }) badObjects!: BadObjectDto[];
}

export class KeyInForceDto {
  @ApiProperty() fingerprint!: string;
  @ApiProperty() algorithm!: string;
  @ApiProperty({ nullable: true, type: String }) expiresAt!: string | null;
}

export class AddressedTeamDto {
  @ApiProperty() teamId!: string;
  @ApiProperty({ nullable: true, type: String }) name!: string | null;
  @ApiProperty({ type: [String], description: 'User ids of its members at that moment' }) members!: string[];
}

export class OrganisationAccessDto {
  @ApiProperty() orgId!: string;
  @ApiProperty({ enum: ['sender', 'recipient'] }) role!: string;
  @ApiProperty({ nullable: true, type: String }) jurisdiction!: string | null;
  @ApiProperty({ type: [KeyInForceDto] }) keysInForce!: KeyInForceDto[];
  @ApiProperty({
    type: [String],
    description: "The stored message's recipient keys held by this organisation",
  })
  messageEncryptedTo!: string[];
  @ApiProperty({
    type: [AddressedTeamDto],
    nullable: true,
    description:
      'The teams it was addressed to here and their members then (docs/architecture.md §24); null: the whole organisation',
  })
  addressedTeams!: AddressedTeamDto[] | null;
  @ApiProperty({
    description:
      'A practitioner of this organisation (a member of an addressed team, if any), in the UK, would have been allowed to open it',
  })
  canOpen!: boolean;
  @ApiProperty({ nullable: true, type: String, description: "The open policy's refusal code otherwise" })
  refusal!: string | null;
}

export class AgreementAtDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: ['draft', 'active', 'suspended', 'terminated'] }) status!: string;
  @ApiProperty({ nullable: true, type: Number }) versionInForce!: number | null;
  @ApiProperty() latestVersion!: number;
  @ApiProperty() sharedUnderVersion!: number;
}

export class DocumentAccessAtDto {
  @ApiProperty({ type: CutDto }) asOf!: CutDto;
  @ApiProperty() documentId!: string;
  @ApiProperty({ description: 'False before the share (or for an id with refusals only)' }) shared!: boolean;
  @ApiProperty({
    nullable: true,
    type: String,
    enum: ['active', 'held', 'restricted', 'destroyed', 'erased'],
  })
  state!: string | null;
  @ApiProperty({ nullable: true, type: AgreementAtDto }) agreement!: AgreementAtDto | null;
  @ApiProperty({ type: [OrganisationAccessDto] }) organisations!: OrganisationAccessDto[];
}

import { ApiProperty } from '@nestjs/swagger';

export class RegisterOrganisationDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: "The organisation's registered name (its id if it has none)" }) name!: string;
}

export class RegisterContactDto {
  @ApiProperty({ description: 'The party organisation' }) orgId!: string;
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
}

export class RegisterGatewayDto {
  @ApiProperty({
    description: 'Vocabulary code, or null for a gateway stated as free text',
    nullable: true,
    type: String,
  })
  code!: string | null;
  @ApiProperty() label!: string;
}

export class RegisterEntryDto {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: [String] }) purposes!: string[];
  @ApiProperty({ description: 'The version in force' }) version!: number;
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'The version in force as the partners number it',
  })
  versionLabel!: string | null;
  @ApiProperty({
    type: [RegisterContactDto],
    description: "Each party's data-protection contact, where stated",
  })
  dataProtectionContacts!: RegisterContactDto[];
  @ApiProperty({ type: [RegisterGatewayDto] }) legalGateways!: RegisterGatewayDto[];
  @ApiProperty({ type: String, nullable: true }) dpiaReference!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Ratified on (YYYY-MM-DD)' }) ratifiedOn!:
    string | null;
  @ApiProperty({ enum: [1, 2] }) tier!: number;
  @ApiProperty({ type: RegisterOrganisationDto }) leadOrganisation!: RegisterOrganisationDto;
  @ApiProperty({ type: [RegisterOrganisationDto] }) otherOrganisations!: RegisterOrganisationDto[];
  @ApiProperty({ type: String, nullable: true, description: 'When the next review is due (ISO-8601)' })
  reviewDue!: string | null;
  @ApiProperty({ description: 'The review date has passed: the agreement stays in force, flagged' })
  reviewOverdue!: boolean;
  @ApiProperty({ type: String, nullable: true, description: 'Notice of termination served: the end date' })
  endsOn!: string | null;
}

export class RegisterCategoryDto {
  @ApiProperty() category!: string;
  @ApiProperty({ type: [RegisterEntryDto] }) agreements!: RegisterEntryDto[];
}

export class RegisterDto {
  @ApiProperty({ description: 'The UTC date the register describes', example: '2025-11-23' }) asOf!: string;
  @ApiProperty() total!: number;
  @ApiProperty({ type: [RegisterCategoryDto] }) categories!: RegisterCategoryDto[];
}

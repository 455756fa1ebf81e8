import { ApiProperty } from '@nestjs/swagger';

export class RegisterOrganisationDto {
  @ApiProperty() id!: string;
  @ApiProperty({ description: "The organisation's registered name (its id if it has none)" }) name!: string;
}

export class RegisterEntryDto {
  @ApiProperty() id!: string;
  @ApiProperty() title!: string;
  @ApiProperty({ type: [String] }) purposes!: string[];
  @ApiProperty({ description: 'The version in force' }) version!: number;
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

import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, Matches, MaxLength, MinLength, ValidateIf } from 'class-validator';

export class NewTeamDto {
  @ApiProperty({ example: 'Public protection unit', maxLength: 120 })
  @IsString()
  @MinLength(1)
  @MaxLength(120)
  name!: string;
}

export class DefaultTeamDto {
  @ApiProperty({
    type: String,
    nullable: true,
    description: 'A team of the organisation, or null for the whole organisation',
  })
  @ValidateIf((_o, v) => v !== null)
  @IsString()
  @Matches(/^[0-9a-f-]{36}$/)
  teamId!: string | null;
}

export class TeamDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiPropertyOptional({
    type: [String],
    description: "User ids; shown to the organisation's own IG lead and the platform admin only",
  })
  members?: string[];
  @ApiProperty({ description: "The organisation's default receiving team" }) default!: boolean;
}

export class DefaultTeamOutcomeDto {
  @ApiProperty({ nullable: true, type: String }) defaultTeam!: string | null;
}

export class TeamListDto {
  @ApiProperty({ type: [TeamDto] }) items!: TeamDto[];
  @ApiProperty({ nullable: true, type: String }) defaultTeam!: string | null;
}

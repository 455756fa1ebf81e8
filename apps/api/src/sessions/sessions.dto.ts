import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { IsString, MaxLength } from 'class-validator';
import { ROLES } from '@accord/domain';

export class SignInDto {
  @ApiProperty({ description: 'An API token (`acc_...`), as issued at enrolment', maxLength: 200 })
  @IsString()
  @MaxLength(200)
  token!: string;
}

export class SessionTeamDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
}

export class SessionUserDto {
  @ApiProperty() id!: string;
  @ApiProperty() name!: string;
  @ApiProperty({ enum: ROLES }) role!: string;
  @ApiProperty({ type: String, nullable: true, description: 'Null for the platform admin' })
  organisationId!: string | null;
  @ApiProperty({ type: String, nullable: true, description: 'Null for the platform admin' })
  organisationName!: string | null;
  @ApiPropertyOptional({ type: [SessionTeamDto], description: "The user's teams in their organisation" })
  teams?: SessionTeamDto[];
  @ApiProperty({
    type: Number,
    nullable: true,
    description: 'The access agreement version the user accepted; null if none yet',
  })
  accessAgreementVersion!: number | null;
}

export class SessionDto {
  @ApiProperty({
    description:
      'Send it as the X-CSRF-Token header with every POST, PUT, PATCH and DELETE made with the session cookie',
  })
  csrfToken!: string;
  @ApiProperty({ type: SessionUserDto }) user!: SessionUserDto;
  @ApiProperty({ description: 'The session ends if unused until then (renewed as it is used)' })
  idleExpiresAt!: string;
  @ApiProperty({ description: 'The session ends then whatever its use' }) absoluteExpiresAt!: string;
}

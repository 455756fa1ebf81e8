import { ApiProperty } from '@nestjs/swagger';
import { IsIn, IsInt, IsString, Length, Max, MaxLength, Min } from 'class-validator';
import { ROLES } from '@accord/domain';
import { OrganisationDto } from '../organisations/organisations.dto';

/** Shape only; the domain checks the email's form and the role vocabulary with its own codes. */
export class EnrolUserDto {
  @ApiProperty({ example: 'Sam Practitioner', maxLength: 200 }) @IsString() @Length(1, 200) name!: string;
  @ApiProperty({ example: 'sam@council.example', maxLength: 254 }) @IsString() @Length(3, 254) email!: string;
  @ApiProperty({ enum: ROLES }) @IsString() @IsIn(ROLES) role!: string;
}

export class UserReasonDto {
  @ApiProperty({ example: 'left the organisation', maxLength: 500 })
  @IsString()
  @Length(1, 500)
  reason!: string;
}

export class AcceptAccessAgreementDto {
  @ApiProperty({ example: 1, description: 'The version the user read and accepts (must be the current one)' })
  @IsInt()
  @Min(1)
  @Max(1_000_000)
  version!: number;
}

export class EnrolledUserDto {
  @ApiProperty() userId!: string;
  @ApiProperty() tokenId!: string;
  @ApiProperty({ description: 'API token, shown once: only its SHA-256 is kept' }) token!: string;
}

export class IssuedTokenDto {
  @ApiProperty() userId!: string;
  @ApiProperty() tokenId!: string;
  @ApiProperty({ description: 'API token, shown once: only its SHA-256 is kept' }) token!: string;
}

export class RevokedTokenDto {
  @ApiProperty() userId!: string;
  @ApiProperty() tokenId!: string;
  @ApiProperty({ example: true }) revoked!: boolean;
}

export class UserDto {
  @ApiProperty() id!: string;
  @ApiProperty({ nullable: true, type: String, description: 'null for a platform admin' }) orgId!:
    string | null;
  @ApiProperty() name!: string;
  @ApiProperty() email!: string;
  @ApiProperty({ enum: ROLES }) role!: string;
  @ApiProperty({ enum: ['active', 'suspended'] }) status!: string;
  @ApiProperty({ nullable: true, type: Number }) accessAgreementVersion!: number | null;
  @ApiProperty() enrolledAt!: string;
}

export class UserListDto {
  @ApiProperty({ type: [UserDto] }) items!: UserDto[];
}

export class AccessAgreementDto {
  @ApiProperty() currentVersion!: number;
  @ApiProperty({ nullable: true, type: Number }) acceptedVersion!: number | null;
  @ApiProperty() accepted!: boolean;
  @ApiProperty() title!: string;
  @ApiProperty({ type: [String] }) terms!: string[];
}

export class MeDto {
  @ApiProperty({ type: UserDto }) user!: UserDto;
  @ApiProperty({ type: OrganisationDto, nullable: true }) organisation!: OrganisationDto | null;
  @ApiProperty({ type: AccessAgreementDto }) accessAgreement!: AccessAgreementDto;
}

export class AcceptedAccessAgreementDto {
  @ApiProperty() version!: number;
  @ApiProperty() accepted!: boolean;
}

export class RecordTrainingDto {
  @ApiProperty({ example: 'Data Security Awareness Level 1' })
  @IsString()
  @MaxLength(200)
  course!: string;

  @ApiProperty({ description: 'YYYY-MM-DD, not after today', example: '2025-01-15' })
  @IsString()
  @MaxLength(64)
  completedOn!: string;
}

export class TrainingRecordedDto {
  @ApiProperty() userId!: string;
  @ApiProperty() course!: string;
  @ApiProperty() completedOn!: string;
}

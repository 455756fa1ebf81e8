import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import { IsBoolean, IsIn, IsInt, IsOptional, IsString, Matches, Max, MaxLength, Min } from 'class-validator';
import { INCIDENT_RULES, INCIDENT_SEVERITIES, MAX_DISMISSAL_REASON } from '@accord/domain';

export const INCIDENT_STATUSES = ['open', 'promoted', 'dismissed'] as const;

export const DEFAULT_INCIDENT_LIMIT = 100;
export const MAX_INCIDENT_LIMIT = 1000;

export class ListIncidentsQueryDto {
  @ApiPropertyOptional({ enum: INCIDENT_STATUSES })
  @IsOptional()
  @IsIn([...INCIDENT_STATUSES])
  status?: string;

  @ApiPropertyOptional({ enum: INCIDENT_RULES })
  @IsOptional()
  @IsIn([...INCIDENT_RULES])
  kind?: string;

  @ApiPropertyOptional({ description: "The previous page's nextAfter (`detectedAt_id`)" })
  @IsOptional()
  @IsString()
  @Matches(/^\d{4}-\d\d-\d\dT[\d:.]{5,20}Z_[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i, {
    message: "after is a previous page's nextAfter",
  })
  after?: string;

  @ApiPropertyOptional({ default: DEFAULT_INCIDENT_LIMIT, minimum: 1, maximum: MAX_INCIDENT_LIMIT })
  @IsOptional()
  @Type(() => Number)
  @IsInt()
  @Min(1)
  @Max(MAX_INCIDENT_LIMIT)
  limit?: number;
}

export class PromoteIncidentDto {
  @ApiProperty({ description: 'A near miss: no personal data actually left its controller' })
  @IsBoolean()
  nearMiss!: boolean;

  @ApiPropertyOptional({ enum: INCIDENT_SEVERITIES, description: "Default: the incident's own severity" })
  @IsOptional()
  @IsIn([...INCIDENT_SEVERITIES])
  severity?: string;

  @ApiPropertyOptional({ description: 'The agreement involved; every party of it is notified of the breach' })
  @IsOptional()
  @IsString()
  @MaxLength(200)
  agreementId?: string;
}

export class DismissIncidentDto {
  @ApiProperty({ description: 'Why the incident is benign (recorded in the incident stream)' })
  @IsString()
  @MaxLength(MAX_DISMISSAL_REASON)
  reason!: string;
}

export class IncidentDto {
  @ApiProperty() id!: string;
  @ApiProperty({ enum: INCIDENT_RULES, description: 'The rule that fired' }) kind!: string;
  @ApiProperty({ enum: INCIDENT_SEVERITIES }) severity!: string;
  @ApiProperty({ enum: INCIDENT_STATUSES }) status!: string;
  @ApiProperty({ description: 'Counts and codes only: never names, titles or content' }) summary!: string;
  @ApiProperty() detectedAt!: string;
  @ApiProperty({ description: 'The user whose actions fired the rule' }) userId!: string;
  @ApiProperty({ description: "The user's organisation" }) orgId!: string;
  @ApiProperty({ type: [String], description: 'Every organisation involved' }) orgIds!: string[];
  @ApiProperty({ type: [String] }) documentIds!: string[];
  @ApiProperty({ type: [String], description: 'Ids of the events that fired the rule, oldest first' })
  evidence!: string[];
  @ApiProperty({ nullable: true, type: String, description: 'The breach report it was promoted to' })
  breachId!: string | null;
  @ApiProperty({ nullable: true, type: String }) dismissal!: string | null;
}

export class IncidentListDto {
  @ApiProperty({ type: [IncidentDto], description: 'The most recently detected first' })
  items!: IncidentDto[];
  @ApiProperty({ nullable: true, type: String, description: 'Pass as `after` for the next page' })
  nextAfter!: string | null;
}

import { ApiExtraModels, ApiProperty, ApiPropertyOptional, getSchemaPath } from '@nestjs/swagger';

export class EventStoreHealthDto {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ example: 'sqlite' }) adapter!: string;
  @ApiPropertyOptional({ description: 'Global position of the newest event.' }) head?: number;
  @ApiPropertyOptional() detail?: string;
}

export class ReadModelsHealthDto {
  @ApiProperty() running!: boolean;
  @ApiProperty({ description: 'Every event at or below this position is in every read model.' })
  position!: number;
  @ApiProperty() head!: number;
  @ApiProperty({
    description: "head - position, in the store's positions (KurrentDB: log bytes, not events).",
  })
  lag!: number;
  @ApiProperty({ description: 'The watchdog found the subscription stuck behind the head.' })
  stalled!: boolean;
  @ApiProperty() restarts!: number;
}

export class ObjectStoreHealthDto {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ example: 'filesystem' }) adapter!: string;
  @ApiProperty({ example: 'uk' }) region!: string;
  @ApiPropertyOptional() detail?: string;
}

export class SchedulerHealthDto {
  @ApiProperty() ok!: boolean;
  @ApiProperty({ example: 'in-process' }) adapter!: string;
  @ApiProperty({ enum: ['created', 'running', 'stopping', 'stopped'] }) state!: string;
  @ApiPropertyOptional() detail?: string;
}

/** A feature's own check: `ok` and `detail`, plus whatever figures the feature reports. */
export class ComponentHealthDto {
  @ApiProperty() ok!: boolean;
  @ApiPropertyOptional() detail?: string;
}

export class PortsHealthDto {
  @ApiProperty({ type: EventStoreHealthDto }) eventStore!: EventStoreHealthDto;
  @ApiProperty({ type: ReadModelsHealthDto }) readModels!: ReadModelsHealthDto;
  @ApiProperty({ type: ObjectStoreHealthDto }) objectStore!: ObjectStoreHealthDto;
  @ApiProperty({ type: SchedulerHealthDto }) scheduler!: SchedulerHealthDto;
}

@ApiExtraModels(ComponentHealthDto)
export class HealthDto {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status!: 'ok' | 'degraded';
  @ApiProperty({ type: PortsHealthDto }) ports!: PortsHealthDto;
  @ApiPropertyOptional({
    type: 'object',
    additionalProperties: { $ref: getSchemaPath(ComponentHealthDto) },
    description: 'Parts of the product this process runs beside the ports; any not ok makes it degraded.',
    example: { incidentDetector: { ok: true, running: true, position: 42, lag: 0, stalled: false } },
  })
  components?: Record<string, ComponentHealthDto>;
}

export class LiveDto {
  @ApiProperty({ enum: ['live'] }) status!: 'live';
}

export class ReadinessLagDto {
  @ApiProperty() position!: number;
  @ApiProperty() head!: number;
  @ApiProperty() lag!: number;
  @ApiProperty({ description: 'READY_MAX_LAG: the largest lag at which this node is ready.' })
  maxLag!: number;
}

export class ReadyDto {
  @ApiProperty({ enum: ['ready'] }) status!: 'ready';
  @ApiProperty({ type: ReadinessLagDto }) readModels!: ReadinessLagDto;
}

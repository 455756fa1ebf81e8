import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';

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

export class PortsHealthDto {
  @ApiProperty({ type: EventStoreHealthDto }) eventStore!: EventStoreHealthDto;
  @ApiProperty({ type: ReadModelsHealthDto }) readModels!: ReadModelsHealthDto;
  @ApiProperty({ example: { ok: true, adapter: 'filesystem', region: 'uk' } }) objectStore!: unknown;
  @ApiProperty({ example: 'not-configured' }) scheduler!: unknown;
}

export class HealthDto {
  @ApiProperty({ enum: ['ok', 'degraded'] }) status!: 'ok' | 'degraded';
  @ApiProperty({ type: PortsHealthDto }) ports!: PortsHealthDto;
  @ApiPropertyOptional({
    description: 'Parts of the product this process runs beside the ports; any not ok makes it degraded.',
    example: { incidentDetector: { ok: true, running: true, position: 42, lag: 0, stalled: false } },
  })
  components?: unknown;
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

export class NotReadyProblemDto {
  @ApiProperty({ example: 'https://accord.example/problems/health.not-ready' }) type!: string;
  @ApiProperty({ example: 'Not ready' }) title!: string;
  @ApiProperty({ example: 503 }) status!: number;
  @ApiProperty() detail!: string;
  @ApiProperty({ example: '/health/ready' }) instance!: string;
  @ApiProperty() correlationId!: string;
  @ApiProperty({
    type: [String],
    example: ['object-store', 'read-models-behind'],
    description:
      'event-store, object-store, scheduler, read-models-stopped, read-models-stalled, read-models-failing, read-models-behind, component:<name>',
  })
  reasons!: string[];
  @ApiProperty({ type: ReadinessLagDto }) readModels!: ReadinessLagDto;
}

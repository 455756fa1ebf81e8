import { Module } from '@nestjs/common';
import { HealthService } from './health.service';

/** Needs PlatformModule and ProjectionsModule (both global) in the same application. */
@Module({ providers: [HealthService], exports: [HealthService] })
export class HealthModule {}

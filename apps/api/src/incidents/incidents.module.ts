import { Module } from '@nestjs/common';
import { HealthModule } from '@accord/platform';
import { SettledCommandRunner } from '../shared/settled-command.runner';
import { IncidentActions } from './incident-actions';
import { IncidentDetectorHost } from './incident-detector.host';
import { IncidentRaiser } from './incident-raiser';
import { IncidentsController } from './incidents.controller';

/**
 * Security incidents (issue 7): the detector that raises them as events arrive, and the routes IG leads use
 * to read, promote (to a breach report, through the breaches feature's own command) or dismiss them.
 */
@Module({
  imports: [HealthModule],
  controllers: [IncidentsController],
  providers: [SettledCommandRunner, IncidentRaiser, IncidentDetectorHost, IncidentActions],
  exports: [IncidentDetectorHost],
})
export class IncidentsModule {}

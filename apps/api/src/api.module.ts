import { DynamicModule, Module } from '@nestjs/common';
import { CqrsModule } from '@nestjs/cqrs';
import { AppLogger, HealthModule, LoadedConfig, PlatformModule, ProjectionsModule } from '@accord/platform';
import { AgreementsModule, NotificationsModule, RegisterModule } from './agreements';
import { AuditModule } from './audit/audit.module';
import { AuthModule } from './auth';
import { BreachesModule } from './breaches/breaches.module';
import { DocumentsModule } from './documents/documents.module';
import { IncidentsModule } from './incidents/incidents.module';
import { InboxModule } from './inbox/inbox.module';
import { HealthController } from './health/health.controller';
import { MetricsController } from './metrics/metrics.controller';
import { OrganisationsModule } from './organisations/organisations.module';
import { RetentionModule } from './retention/retention.module';
import { SessionsModule } from './sessions/sessions.module';
import { SubjectRequestsModule } from './subject-requests/subject-requests.module';
import { TransfersModule } from './transfers/transfers.module';
import { UsersModule } from './users/users.module';
import { WebhooksModule } from './webhooks/webhooks.module';

/**
 * The HTTP API. It hosts this node's projector in both modes, because read models are per node; in
 * embedded mode it is the whole product. Feature modules are imported here as they arrive.
 */
@Module({})
export class ApiModule {
  static forRoot(config: LoadedConfig, logger?: AppLogger): DynamicModule {
    return {
      module: ApiModule,
      imports: [
        PlatformModule.forRoot(config, { logger }),
        ProjectionsModule.forRoot({ start: true }),
        HealthModule,
        // Dispatch only (docs/architecture.md §20.3): handlers load, decide and append through runCommand.
        CqrsModule.forRoot(),
        AuthModule,
        SessionsModule,
        OrganisationsModule,
        UsersModule,
        AgreementsModule,
        RegisterModule,
        NotificationsModule,
        DocumentsModule,
        AuditModule,
        TransfersModule,
        RetentionModule,
        BreachesModule,
        WebhooksModule,
        SubjectRequestsModule,
        IncidentsModule,
        InboxModule,
      ],
      controllers: [HealthController, MetricsController],
    };
  }
}

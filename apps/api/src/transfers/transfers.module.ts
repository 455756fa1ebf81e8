import { Module } from '@nestjs/common';
import { AuditModule } from '../audit/audit.module';
import { TransfersController } from './transfers.controller';

/** GET /transfers: the UK-only transfer check over the transfers read model. */
@Module({ imports: [AuditModule], controllers: [TransfersController] })
export class TransfersModule {}

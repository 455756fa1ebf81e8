import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { READ_DB } from '@accord/platform';
import { DirectoryReadModel, ReadDb } from '@accord/projections';
import { AuthGuard } from './auth.guard';

/**
 * Authentication for the whole API: the global guard, and the directory it reads tokens from (exported, so
 * features can check organisations, users and keys without their own provider).
 */
@Global()
@Module({
  providers: [
    {
      provide: DirectoryReadModel,
      inject: [READ_DB],
      useFactory: (db: ReadDb) => new DirectoryReadModel(db),
    },
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [DirectoryReadModel],
})
export class AuthModule {}

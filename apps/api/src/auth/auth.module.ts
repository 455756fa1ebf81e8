import { Global, Module } from '@nestjs/common';
import { APP_GUARD } from '@nestjs/core';
import { READ_DB } from '@accord/platform';
import { DirectoryReadModel, ReadDb } from '@accord/projections';
import { AuthFailures } from './auth-failures';
import { AuthGuard } from './auth.guard';
import { Sessions } from './sessions';

/**
 * Authentication for the whole API: the global guard, the browser sessions, and the directory it reads
 * tokens from (exported, so features can check organisations, users and keys without their own provider).
 */
@Global()
@Module({
  providers: [
    {
      provide: DirectoryReadModel,
      inject: [READ_DB],
      useFactory: (db: ReadDb) => new DirectoryReadModel(db),
    },
    AuthFailures,
    Sessions,
    { provide: APP_GUARD, useClass: AuthGuard },
  ],
  exports: [DirectoryReadModel, AuthFailures, Sessions],
})
export class AuthModule {}

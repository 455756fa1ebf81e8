import { Module } from '@nestjs/common';
import { RegisterController } from './register.controller';
import { GetRegisterHandler } from './register.query';

/** The public register of agreements in force (no authentication). */
@Module({ controllers: [RegisterController], providers: [GetRegisterHandler] })
export class RegisterModule {}

import { Module } from '@nestjs/common';
import { GovukAssetsController } from './govuk-assets.controller';
import { WebAppController } from './web-app.controller';

/** The browser's edge: the built web app at /app/ and the GOV.UK styles of the server-rendered pages. */
@Module({ controllers: [WebAppController, GovukAssetsController] })
export class WebModule {}

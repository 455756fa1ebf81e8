import { Controller, Get, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { readFileSync } from 'node:fs';
import { join, resolve, sep } from 'node:path';
import type { Request, Response } from 'express';
import { Public } from '../auth';
import { govukFrontendDir, isFile } from './web-paths';

export const GOVUK_ASSETS_PATH = '/assets/govuk';
export const GOVUK_STYLESHEET = `${GOVUK_ASSETS_PATH}/govuk-frontend.min.css`;

/** Not content-hashed, so cached for a day rather than for good: an upgrade reaches browsers by tomorrow. */
const CACHE = 'public, max-age=86400';

/**
 * The GOV.UK Design System's built stylesheet, fonts and images, from the installed govuk-frontend package,
 * for the server-rendered pages (the public register, the audit view). Same origin, so those pages' CSP
 * admits them with 'self' and no third party is asked for anything. The stylesheet names its fonts and
 * images at /assets/...; it is served with those addresses moved under /assets/govuk/assets/.
 */
@ApiExcludeController()
@Public()
@Controller('assets/govuk')
export class GovukAssetsController {
  private readonly dir = govukFrontendDir();
  private readonly assets = resolve(this.dir, 'assets');
  private readonly css = readFileSync(join(this.dir, 'govuk-frontend.min.css'), 'utf8')
    .replace(/\/\*# sourceMappingURL=[^*]*\*\//g, '')
    .replaceAll('url(/assets/', `url(${GOVUK_ASSETS_PATH}/assets/`);

  @Get('govuk-frontend.min.css')
  stylesheet(@Res() res: Response): void {
    res.setHeader('Cache-Control', CACHE);
    res.type('text/css; charset=utf-8').send(this.css);
  }

  @Get('assets/*path')
  asset(@Req() req: Request, @Res() res: Response): void {
    const relative = req.path.slice(`${GOVUK_ASSETS_PATH}/assets/`.length);
    const file = resolve(this.assets, relative);
    if (!file.startsWith(this.assets + sep) || !isFile(file)) throw new NotFoundException();
    res.setHeader('Cache-Control', CACHE);
    res.sendFile(file);
  }
}

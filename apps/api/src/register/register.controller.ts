import { Controller, Get, Req, Res } from '@nestjs/common';
import { QueryBus } from '@nestjs/cqrs';
import { ApiExtraModels, ApiOkResponse, ApiOperation, ApiTags, getSchemaPath } from '@nestjs/swagger';
import { createHash } from 'node:crypto';
import type { Request, Response } from 'express';
import { Public } from '../auth';
import { ApiPublicRoute } from '../shared/api-problem.decorator';
import { RegisterDto } from './register.dto';
import { REGISTER_CSP, renderRegisterHtml } from './register.html';
import { registerCsv } from './register.csv';
import { GetRegisterQuery } from './register.query';

/** How long a browser or proxy may reuse the register without asking: it changes with events and by the day. */
const MAX_AGE_SECONDS = 60;

@ApiTags('register')
@Controller('register')
export class RegisterController {
  constructor(private readonly queries: QueryBus) {}

  @Get()
  @Public()
  @ApiOperation({
    operationId: 'getRegister',
    summary: 'The public register of agreements in force, by category',
    description:
      'JSON by default; an accessible HTML page when the client prefers text/html; CSV for text/csv.',
  })
  @ApiPublicRoute()
  @ApiExtraModels(RegisterDto)
  @ApiOkResponse({
    description: 'The register, as the Accept header chose',
    content: {
      'application/json': { schema: { $ref: getSchemaPath(RegisterDto) } },
      'text/html': { schema: { type: 'string', description: 'The printable, accessible page' } },
      'text/csv': { schema: { type: 'string', description: 'One row per agreement, as councils publish' } },
    },
  })
  async register(@Req() req: Request, @Res() res: Response): Promise<void> {
    const view = await this.queries.execute(new GetRegisterQuery());
    // A browser asks for text/html first; a client that states nothing, or */*, gets JSON; a spreadsheet
    // export asks for text/csv (docs/architecture.md §28).
    const chosen = req.accepts(['application/json', 'text/html', 'text/csv']);
    const html = chosen === 'text/html';
    const csv = chosen === 'text/csv';
    const type = html
      ? 'text/html; charset=utf-8'
      : csv
        ? 'text/csv; charset=utf-8'
        : 'application/json; charset=utf-8';
    const body = html ? renderRegisterHtml(view) : csv ? registerCsv(view) : JSON.stringify(view);
    // The ETag hashes the representation itself: it depends on the events and on the date (overdue flags),
    // so no position alone could stand for it. Express answers 304 to a matching If-None-Match.
    const tag = createHash('sha256').update(type).update('\n').update(body).digest('base64url').slice(0, 32);
    res.setHeader('ETag', `"${tag}"`);
    res.setHeader('Cache-Control', `public, max-age=${MAX_AGE_SECONDS}`);
    res.setHeader('Vary', 'Accept');
    if (html) res.setHeader('Content-Security-Policy', REGISTER_CSP);
    res.status(200).type(type).send(body);
  }
}

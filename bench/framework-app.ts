/*
 * The server side of the framework workload (framework.bench.ts), started as its own process:
 * `node dist/bench/framework-app.js` with FRAMEWORK=raw|express|fastify, PORT and TOKEN in its environment.
 * Each serves the same two routes behind the same bearer-token check as the api's guard (SHA-256 of the
 * token looked up in a map): GET /ping answers a small JSON object; POST /upload reads a raw body stream,
 * hashes it and answers 201 with its size and SHA-256, the shape of a share's answer. Nothing else (no
 * logging, headers or validation), so what differs between them is the HTTP framework alone.
 */
import 'reflect-metadata';
import { createHash } from 'node:crypto';
import { createServer, IncomingMessage } from 'node:http';
import {
  CanActivate,
  Controller,
  ExecutionContext,
  Get,
  HttpCode,
  Injectable,
  Module,
  Post,
  Req,
  UnauthorizedException,
} from '@nestjs/common';
import { APP_GUARD, NestFactory } from '@nestjs/core';
import { bearerTokenHash, sendJson, sha256 } from './bare-http';

const TOKEN_HASHES = new Map([[sha256(process.env.TOKEN ?? ''), { userId: 'bench-user' }]]);

function holder(authorization: string | undefined): { userId: string } | undefined {
  const hash = bearerTokenHash(authorization);
  return hash === undefined ? undefined : TOKEN_HASHES.get(hash);
}

async function digest(body: AsyncIterable<Buffer>): Promise<{ size: number; sha256: string }> {
  const hash = createHash('sha256');
  let size = 0;
  for await (const chunk of body) {
    hash.update(chunk);
    size += chunk.length;
  }
  return { size, sha256: hash.digest('hex') };
}

@Injectable()
class BearerGuard implements CanActivate {
  canActivate(context: ExecutionContext): boolean {
    const req = context.switchToHttp().getRequest<{ headers: Record<string, string | undefined> }>();
    if (!holder(req.headers['authorization'])) throw new UnauthorizedException();
    return true;
  }
}

@Controller()
class BenchController {
  @Get('ping')
  ping(): { ok: boolean; at: string } {
    return { ok: true, at: new Date().toISOString() };
  }

  @Post('upload')
  @HttpCode(201)
  upload(@Req() req: IncomingMessage | { raw: IncomingMessage }): Promise<{ size: number; sha256: string }> {
    // Fastify wraps the Node request; Express extends it.
    return digest('raw' in req ? req.raw : req);
  }
}

@Module({ controllers: [BenchController], providers: [{ provide: APP_GUARD, useClass: BearerGuard }] })
class BenchModule {}

function rawServer(port: number): Promise<void> {
  const server = createServer((req, res) => {
    if (!holder(req.headers.authorization)) return sendJson(res, 401, { message: 'Unauthorized' });
    if (req.method === 'GET' && req.url === '/ping')
      return sendJson(res, 200, { ok: true, at: new Date().toISOString() });
    if (req.method === 'POST' && req.url === '/upload')
      return void digest(req).then(
        (d) => sendJson(res, 201, d),
        (e: Error) => sendJson(res, 400, { message: e.message }),
      );
    sendJson(res, 404, { message: 'Not Found' });
  });
  return new Promise((resolve) => server.listen(port, '127.0.0.1', resolve));
}

async function main(): Promise<void> {
  const port = Number(process.env.PORT);
  const framework = process.env.FRAMEWORK;
  if (framework === 'raw') await rawServer(port);
  else if (framework === 'express') {
    const app = await NestFactory.create(BenchModule, { bodyParser: false, logger: false });
    await app.listen(port, '127.0.0.1');
  } else if (framework === 'fastify') {
    // A dev dependency, measured here only: the product runs on Express (docs/architecture.md §37.1).
    const { FastifyAdapter } = await import('@nestjs/platform-fastify');
    const adapter = new FastifyAdapter();
    // Hand the body over unread, as the api's multipart reader wants it (Express with bodyParser: false).
    adapter
      .getInstance()
      .addContentTypeParser('application/octet-stream', (_req, _payload, done) => done(null));
    const app = await NestFactory.create(BenchModule, adapter, { bodyParser: false, logger: false });
    await app.listen(port, '127.0.0.1');
  } else throw new Error(`FRAMEWORK must be raw, express or fastify, not ${framework}`);
  process.stdout.write(`${framework} listening on ${port}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${String(error)}\n`);
  process.exit(1);
});

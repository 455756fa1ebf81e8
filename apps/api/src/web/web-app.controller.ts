import { Controller, Get, Inject, NotFoundException, Req, Res } from '@nestjs/common';
import { ApiExcludeController } from '@nestjs/swagger';
import { join, resolve, sep } from 'node:path';
import type { Request, Response } from 'express';
import { ACCORD_CONFIG, type LoadedConfig, PROBLEM_CONTENT_TYPE, problemType } from '@accord/platform';
import { Public } from '../auth';
import { defaultWebDistDir, isFile } from './web-paths';

export const APP_PATH = '/app';

/**
 * The web app's policy: its own origin only, no inline script or style, nothing framed or posted elsewhere.
 * 'wasm-unsafe-eval' lets the page compile WebAssembly (CSP 3), and only that: openpgp.js derives the
 * passphrase key of a stored private key with Argon2 (RFC 9580 S2K), which it runs as WebAssembly. It does
 * not admit eval() or new Function().
 */
export const WEB_APP_CSP = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval'",
  "style-src 'self'",
  "img-src 'self' data:",
  "font-src 'self'",
  "connect-src 'self'",
  "worker-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Vite names every bundled file by its content's hash under assets/: a name never changes content. */
const IMMUTABLE = 'public, max-age=31536000, immutable';

/**
 * Serves the built web app (docs/architecture.md §34) at /app/: files as they are, and index.html for any
 * other path under /app/ so the app's own router handles a reload or a bookmark. HTML is never cached (a
 * new build must reach users at once); hashed assets are cached for good. A missing build is a 503 problem
 * that says how to make one.
 */
@ApiExcludeController()
@Public()
@Controller('app')
export class WebAppController {
  private readonly root: string;

  constructor(@Inject(ACCORD_CONFIG) config: LoadedConfig) {
    this.root = resolve(config.web.distDir ?? defaultWebDistDir());
  }

  @Get()
  index(@Req() req: Request, @Res() res: Response): void {
    // `/app` and `/app/` both land here; the app's relative links want the slash.
    if (!req.path.endsWith('/')) return res.redirect(301, `${APP_PATH}/`);
    this.sendIndex(req, res);
  }

  @Get('*path')
  file(@Req() req: Request, @Res() res: Response): void {
    res.setHeader('Content-Security-Policy', WEB_APP_CSP);
    const relative = req.path.slice(APP_PATH.length + 1);
    const file = resolve(this.root, relative);
    // resolve() has already taken `..` apart: anything outside the build is treated as an app route.
    const inside = file.startsWith(this.root + sep) && !relative.split('/').some((p) => p.startsWith('.'));
    if (inside && isFile(file)) {
      const hashed = relative.startsWith('assets/');
      res.setHeader('Cache-Control', hashed ? IMMUTABLE : file.endsWith('.html') ? 'no-store' : 'no-cache');
      return res.sendFile(file);
    }
    // A missing asset is a 404, never the page: a stale bundle asking for an old chunk must fail plainly.
    if (relative.startsWith('assets/')) throw new NotFoundException();
    this.sendIndex(req, res);
  }

  private sendIndex(req: Request, res: Response): void {
    res.setHeader('Content-Security-Policy', WEB_APP_CSP);
    res.setHeader('Cache-Control', 'no-store');
    const index = join(this.root, 'index.html');
    if (isFile(index)) return res.sendFile(index);
    // Rendered here, not thrown: the problem filter hides a 5xx's detail, and this one is the operator's cue.
    res
      .status(503)
      .type(PROBLEM_CONTENT_TYPE)
      .send(
        JSON.stringify({
          type: problemType('web.not-built'),
          title: 'Web app not built',
          status: 503,
          detail: 'The web app has not been built on this node: run `npm run build` (or set WEB_DIST_DIR).',
          instance: req.path,
          correlationId: String(res.locals.correlationId ?? 'none'),
        }),
      );
  }
}

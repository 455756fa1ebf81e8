import 'reflect-metadata';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { accordVersion, AppLogger, loadConfig } from '@accord/platform';
import { createApiApp } from './create-api-app';
import { buildOpenApiDocument, canonicalOpenApiJson } from './openapi';

/**
 * `npm run openapi:export`: writes the api's OpenAPI document to docs/openapi.json (or the path given).
 * The app is built over a throw-away DATA_DIR with the embedded defaults and none of this shell's
 * variables, so the export is the same on every machine: the document depends on the code alone.
 */
async function main(): Promise<void> {
  const out = resolve(process.argv[2] ?? join(__dirname, '..', '..', '..', '..', 'docs', 'openapi.json'));
  const dataDir = mkdtempSync(join(tmpdir(), 'accord-openapi-'));
  try {
    const app = await createApiApp(loadConfig({ DATA_DIR: dataDir }), AppLogger.create('silent'));
    try {
      writeFileSync(out, canonicalOpenApiJson(buildOpenApiDocument(app, accordVersion())));
    } finally {
      await app.close();
    }
    process.stdout.write(`wrote ${out}\n`);
  } finally {
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((error: unknown) => {
  process.stderr.write(`openapi export failed: ${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

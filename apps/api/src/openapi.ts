import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule } from '@nestjs/swagger';

export const DOCS_PATH = 'docs';

/** Serves the OpenAPI document at /docs-json and its browsable form at /docs. */
export function setUpOpenApi(app: INestApplication, version: string): void {
  const document = SwaggerModule.createDocument(
    app,
    new DocumentBuilder()
      .setTitle('Accord')
      .setDescription(
        'Event-sourced exchange of OpenPGP-encrypted case documents between UK public-sector partners under ' +
          'Information Sharing Agreements. Errors are RFC 9457 application/problem+json with a correlationId.',
      )
      .setVersion(version)
      .addBearerAuth()
      .build(),
  );
  SwaggerModule.setup(DOCS_PATH, app, document, {
    jsonDocumentUrl: `${DOCS_PATH}-json`,
    yamlDocumentUrl: `${DOCS_PATH}-yaml`,
  });
}

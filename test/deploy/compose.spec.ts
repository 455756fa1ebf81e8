import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv, { ValidateFunction } from 'ajv';
import draft07 from 'ajv/dist/refs/json-schema-draft-07.json';
import { parse } from 'yaml';

/*
 * The deploy files, checked without a Docker engine (none runs where the tests run): docker-compose.yml
 * against the official compose-spec JSON schema (vendored, see test/deploy/README.md), plus the rules the
 * schema cannot say. Nothing here pulls an image.
 */

const root = join(__dirname, '..', '..');
const text = (file: string) => readFileSync(join(root, file), 'utf8');

interface Service {
  image?: string;
  build?: unknown;
  profiles?: string[];
  command?: string[] | string;
  entrypoint?: string[] | string;
  environment?: Record<string, unknown>;
  env_file?: { path: string; required?: boolean }[];
  healthcheck?: { test: string[] | string };
  depends_on?: Record<string, { condition: string; required?: boolean }>;
}
interface Compose {
  services: Record<string, Service>;
  configs?: Record<string, { content?: string }>;
}

const compose = (): Compose => parse(text('docker-compose.yml'), { merge: true }) as Compose;

/** `${NAME:-default}` as compose interpolates it with NAME unset. */
const interpolateDefaults = (value: string) => value.replace(/\$\{[A-Z0-9_]+:-([^}]*)\}/g, '$1');

/** Image reference → { name, tag }: the tag is after the last colon of the last path segment. */
function imageParts(image: string): { name: string; tag: string | undefined } {
  const withoutDigest = image.split('@')[0]!;
  const slash = withoutDigest.lastIndexOf('/');
  const colon = withoutDigest.lastIndexOf(':');
  if (colon > slash) return { name: withoutDigest.slice(0, colon), tag: withoutDigest.slice(colon + 1) };
  return { name: withoutDigest, tag: undefined };
}

/** The program a healthcheck runs: CMD's first word, or CMD-SHELL's first word. */
function healthProgram(test: string[] | string): string {
  const parts = Array.isArray(test) ? test : ['CMD-SHELL', test];
  if (parts[0] === 'CMD') return parts[1]!;
  if (parts[0] === 'CMD-SHELL') return parts[1]!.trim().split(/\s+/)[0]!;
  throw new Error(`unexpected healthcheck ${JSON.stringify(test)}`);
}

/**
 * What each image is known to contain, from its own Dockerfile or documentation (docs/operations.md says
 * where). A new image, or a healthcheck with another program, fails here until someone checks it.
 */
const PROGRAMS_IN_IMAGE: Record<string, string[]> = {
  'docker.kurrent.io/kurrent-lts/kurrentdb': ['curl'],
  // The official image's Dockerfile installs the PostgreSQL client binaries beside the server.
  postgres: ['pg_isready', 'psql'],
  'chrislusf/seaweedfs': ['wget', 'weed'],
  'quay.io/minio/minio': ['mc', 'minio'],
  redis: ['redis-cli'],
  'accord:local': ['node'],
};

/**
 * The vendored schema names its meta-schema as https://json-schema.org/draft-07/schema; Ajv ships draft-07
 * under its http:// id, so it is registered under the https one as well. strict: false because the schema
 * uses annotations (e.g. `deprecated`) that Ajv's strict mode rejects as unknown keywords.
 */
function composeSchema(): ValidateFunction {
  const ajv = new Ajv({ allErrors: true, strict: false });
  ajv.addMetaSchema({ ...draft07, $id: 'https://json-schema.org/draft-07/schema' });
  return ajv.compile(JSON.parse(text('test/deploy/compose-spec.schema.json')) as object);
}

describe('docker-compose.yml', () => {
  it('is valid against the compose-spec JSON schema', () => {
    const validate = composeSchema();
    const valid = validate(compose());
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
  });

  it('the schema check can fail: an unknown service key is refused', () => {
    const validate = composeSchema();
    const broken = compose();
    (broken.services.api as Record<string, unknown>).healthchek = { test: ['CMD', 'true'] };
    expect(validate(broken)).toBe(false);
  });

  it('pins every image to an explicit tag, never latest', () => {
    for (const [name, service] of Object.entries(compose().services)) {
      expect({ name, image: service.image }).toEqual({ name, image: expect.any(String) });
      const { tag } = imageParts(service.image!);
      if (service.image === 'accord:local') continue; // built here from the Dockerfile
      expect({ name, tag }).toEqual({ name, tag: expect.stringMatching(/^(?!latest$)\S*\d\S*$/) });
    }
    expect(text('docker-compose.yml')).not.toMatch(/:latest\b/);
  });

  it('uses KurrentDB from the registry its docs name, SeaweedFS by default, MinIO from quay.io only as a profile', () => {
    const { services } = compose();
    expect(imageParts(services.kurrentdb!.image!).name).toBe('docker.kurrent.io/kurrent-lts/kurrentdb');
    expect(imageParts(services.seaweedfs!.image!).name).toBe('chrislusf/seaweedfs');
    expect(services.seaweedfs!.profiles).toBeUndefined();
    for (const [name, service] of Object.entries(services)) {
      if (!service.image!.includes('minio')) continue;
      expect({ name, registry: service.image!.split('/')[0] }).toEqual({ name, registry: 'quay.io' });
      expect({ name, profiles: service.profiles }).toEqual({ name, profiles: ['minio'] });
    }
    const appEnv = services.api!.environment!;
    expect(interpolateDefaults(String(appEnv.S3_ENDPOINT))).toBe('http://seaweedfs:8333');
  });

  it('offers both event-store engines as profiles, each pinned, healthchecked and wired into the app by its env file', () => {
    const { services } = compose();
    const engines = {
      kurrentdb: {
        image: 'docker.kurrent.io/kurrent-lts/kurrentdb',
        variable: 'KURRENTDB_URL',
        scheme: 'kurrentdb:',
      },
      postgres: { image: 'postgres', variable: 'POSTGRES_URL', scheme: 'postgres:' },
    };
    for (const [name, want] of Object.entries(engines)) {
      const service = services[name];
      expect({ name, defined: service !== undefined }).toEqual({ name, defined: true });
      expect({ name, profiles: service!.profiles }).toEqual({ name, profiles: [name] });
      const { name: image, tag } = imageParts(service!.image!);
      expect({ name, image }).toEqual({ name, image: want.image });
      // A release number, not a moving major tag: 26.0.3, 17.7-bookworm.
      expect({ name, tag }).toEqual({ name, tag: expect.stringMatching(/^\d+\.\d+(\.\d+)?(-[a-z]+)?$/) });
      expect({ name, healthcheck: service!.healthcheck !== undefined }).toEqual({ name, healthcheck: true });
      // The env file ACCORD_ENGINE=<name> selects sets that engine's variable to that service, and nothing else.
      const env = Object.fromEntries(
        text(`deploy/${name}.env`)
          .split('\n')
          .filter((l) => l.trim() && !l.startsWith('#'))
          .map((l) => [l.slice(0, l.indexOf('=')), interpolateDefaults(l.slice(l.indexOf('=') + 1))]),
      );
      expect(Object.keys(env)).toEqual([want.variable]);
      const url = new URL(env[want.variable]!);
      expect({ name, protocol: url.protocol, host: url.hostname }).toEqual({
        name,
        protocol: want.scheme,
        host: name,
      });
    }
    expect(services.postgres!.healthcheck!.test).toEqual(expect.arrayContaining(['CMD', 'pg_isready']));
    const pg = services.postgres!.environment!;
    const pgUrl = new URL(
      interpolateDefaults(text('deploy/postgres.env').match(/^POSTGRES_URL=(.*)$/m)![1]!),
    );
    expect([pgUrl.username, decodeURIComponent(pgUrl.password), pgUrl.pathname]).toEqual([
      pg.POSTGRES_USER,
      interpolateDefaults(String(pg.POSTGRES_PASSWORD)),
      `/${String(pg.POSTGRES_DB)}`,
    ]);
    for (const name of ['api', 'worker']) {
      const app = services[name]!;
      // Never both variables at once (the api refuses that): the engine comes only from the env file.
      expect({
        name,
        engineVars: Object.keys(app.environment!).filter((k) => /KURRENTDB_URL|POSTGRES_URL/.test(k)),
      }).toEqual({
        name,
        engineVars: [],
      });
      expect({ name, envFile: app.env_file }).toEqual({
        name,
        envFile: [{ path: 'deploy/${ACCORD_ENGINE:-kurrentdb}.env', required: true }],
      });
      for (const engine of Object.keys(engines)) {
        expect({ name, engine, dependsOn: app.depends_on![engine] }).toEqual({
          name,
          engine,
          dependsOn: { condition: 'service_healthy', required: false },
        });
      }
    }
  });

  it("gives the api and worker bucket-scoped S3 credentials, not the server's root user", () => {
    const c = compose();
    const rootKeys = new Set<string>();
    const minio = c.services.minio!.environment!;
    rootKeys.add(String(minio.MINIO_ROOT_USER));
    rootKeys.add(String(c.services['s3-init']!.environment!.S3_ACCESS_KEY));
    for (const name of ['api', 'worker']) {
      const env = c.services[name]!.environment!;
      expect({ name, key: env.S3_ACCESS_KEY }).toEqual({ name, key: expect.any(String) });
      expect(rootKeys.has(String(env.S3_ACCESS_KEY))).toBe(false);
      expect(interpolateDefaults(String(env.S3_ACCESS_KEY))).not.toEqual(
        interpolateDefaults(String(minio.MINIO_ROOT_USER)),
      );
    }
    // SeaweedFS: the app's identity may only touch the accord bucket; the root identity is Admin.
    const identities = (
      JSON.parse(interpolateDefaults(c.configs!['seaweedfs-s3']!.content!)) as {
        identities: { credentials: { accessKey: string }[]; actions: string[] }[];
      }
    ).identities;
    const appKey = interpolateDefaults(String(c.services.api!.environment!.S3_ACCESS_KEY));
    const app = identities.find((i) => i.credentials.some((k) => k.accessKey === appKey));
    expect(app).toBeDefined();
    expect(app!.actions.length).toBeGreaterThan(0);
    for (const action of app!.actions) expect(action).toMatch(/^(Read|Write|List|Tagging):accord$/);
    const rootKey = interpolateDefaults(String(c.services['s3-init']!.environment!.S3_ACCESS_KEY));
    expect(rootKey).not.toBe(appKey);
    expect(identities.find((i) => i.credentials.some((k) => k.accessKey === rootKey))!.actions).toContain(
      'Admin',
    );
  });

  it('runs every healthcheck with a program its image contains', () => {
    for (const [name, service] of Object.entries(compose().services)) {
      if (!service.healthcheck) continue;
      const program = healthProgram(service.healthcheck.test);
      const image = service.image === 'accord:local' ? 'accord:local' : imageParts(service.image!).name;
      expect({ name, image, program, known: PROGRAMS_IN_IMAGE[image]?.includes(program) ?? false }).toEqual({
        name,
        image,
        program,
        known: true,
      });
    }
    // The long-running servers have one; a one-shot does not need it.
    for (const name of ['kurrentdb', 'postgres', 'seaweedfs', 'minio', 'redis', 'api']) {
      expect({ name, healthcheck: compose().services[name]!.healthcheck !== undefined }).toEqual({
        name,
        healthcheck: true,
      });
    }
  });
});

describe('Dockerfile and .dockerignore', () => {
  const dockerfile = () => text('Dockerfile');

  it('builds on a pinned Node LTS (22 or 24), installs from the lock and runs as a non-root user', () => {
    const froms = [...dockerfile().matchAll(/^FROM\s+(\S+)/gm)].map((m) => m[1]!);
    expect(froms.length).toBeGreaterThan(0);
    for (const image of froms) expect(image).toMatch(/^node:(22|24)\.\d+\.\d+-(bookworm|trixie)-slim$/);
    expect(dockerfile()).toMatch(/^RUN npm ci\b/m);
    expect(dockerfile()).not.toMatch(/npm install/);
    const users = [...dockerfile().matchAll(/^USER\s+(\S+)/gm)].map((m) => m[1]!);
    expect(users.at(-1)).toBeDefined();
    expect(users.at(-1)).not.toMatch(/^(root|0)(:|$)/);
  });

  it('keeps local state out of the build context', () => {
    const ignored = text('.dockerignore')
      .split('\n')
      .map((l) => l.trim())
      .filter((l) => l && !l.startsWith('#'));
    for (const dir of ['data/', 'node_modules/', '.git/', 'dist/']) expect(ignored).toContain(dir);
  });
});

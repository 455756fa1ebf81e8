import { ConfigError } from './accord-config';
import { Env, parseConfig } from './parse-config';

const CWD = '/srv/accord';
const SECRET = 'k'.repeat(32);

function problemsOf(env: Env): string[] {
  try {
    parseConfig(env, CWD);
  } catch (error) {
    if (error instanceof ConfigError) return [...error.problems];
    throw error;
  }
  throw new Error('expected a ConfigError');
}

describe('parseConfig', () => {
  it('an empty environment is the embedded product on one machine', () => {
    const c = parseConfig({}, CWD);
    expect(c.mode).toBe('embedded');
    expect(c.http).toEqual({
      port: 3000,
      host: '127.0.0.1',
      trustedProxies: ['loopback'],
      clientCountryHeader: 'x-client-country',
    });
    expect(c.dataDir).toBe('/srv/accord/data');
    expect(c.eventStore).toEqual({ kind: 'sqlite', file: '/srv/accord/data/events.db' });
    expect(c.readModels.file).toBe('/srv/accord/data/read.db');
    expect(c.objectStore).toEqual({ kind: 'filesystem', dir: '/srv/accord/data/objects', region: 'uk' });
    expect(c.scheduler).toEqual({ kind: 'in-process' });
    expect(c.ukStorageRegions).toEqual(['uk', 'eu-west-2', 'uk-london']);
    expect(c.logLevel).toBe('info');
    expect(c.platformSecret).toBeUndefined();
    expect(c.readYourWritesTimeoutMs).toBe(5000);
  });

  it('an empty string counts as unset, as compose files pass ${VAR:-} through', () => {
    expect(parseConfig({ PORT: '', KURRENTDB_URL: '  ' }, CWD).http.port).toBe(3000);
  });

  it.each(['abc', '0', '65536', '-1', '3000.5', '1e3'])(
    'a PORT of %p is refused with the variable named and the value quoted',
    (port) => {
      expect(problemsOf({ PORT: port })).toEqual([`PORT must be an integer 1-65535 (got "${port}")`]);
    },
  );

  it('the refusal is one line beginning with the variable name, suitable for an operator', () => {
    expect(() => parseConfig({ PORT: 'abc' }, CWD)).toThrow(
      'invalid configuration: PORT must be an integer 1-65535 (got "abc")',
    );
  });

  it('every bad variable is reported at once, so one restart fixes them all', () => {
    const problems = problemsOf({ PORT: 'x', LOG_LEVEL: 'loud', READ_YOUR_WRITES_TIMEOUT_MS: '-5' });
    expect(problems.map((p) => p.split(' ')[0])).toEqual([
      'PORT',
      'LOG_LEVEL',
      'READ_YOUR_WRITES_TIMEOUT_MS',
    ]);
  });

  it('a rule between variables is reported beside a bad value, not after it is fixed', () => {
    expect(problemsOf({ PORT: 'x', KURRENTDB_URL: 'kurrentdb://db:2113', S3_BUCKET: 'accord' })).toEqual([
      'PORT must be an integer 1-65535 (got "x")',
      'S3_ENDPOINT must be set when S3_BUCKET is set',
      'PLATFORM_SECRET must be set when KURRENTDB_URL is set (all nodes share it)',
    ]);
  });

  it('browser sessions last 30 minutes idle and 8 hours in all unless told, within sane bounds', () => {
    expect(parseConfig({}, CWD).sessions).toEqual({ idleMs: 30 * 60_000, absoluteMs: 8 * 3_600_000 });
    expect(parseConfig({ SESSION_IDLE_MINUTES: '15', SESSION_ABSOLUTE_HOURS: '12' }, CWD).sessions).toEqual({
      idleMs: 15 * 60_000,
      absoluteMs: 12 * 3_600_000,
    });
    expect(problemsOf({ SESSION_IDLE_MINUTES: '0', SESSION_ABSOLUTE_HOURS: 'forever' })).toEqual([
      'SESSION_IDLE_MINUTES must be an integer 1-1440 (got "0")',
      'SESSION_ABSOLUTE_HOURS must be an integer 1-168 (got "forever")',
    ]);
  });

  it('WEB_DIST_DIR is resolved against the working directory; unset, the api finds its own build', () => {
    expect(parseConfig({}, CWD).web).toEqual({});
    expect(parseConfig({ WEB_DIST_DIR: 'build/web' }, CWD).web).toEqual({ distDir: '/srv/accord/build/web' });
  });

  it('READY_MAX_LAG bounds how far behind the read models a ready node may be (default 1000)', () => {
    expect(parseConfig({}, CWD).health).toEqual({ readyMaxLag: 1000 });
    expect(parseConfig({ READY_MAX_LAG: '0' }, CWD).health).toEqual({ readyMaxLag: 0 });
    expect(problemsOf({ READY_MAX_LAG: 'lots' })).toEqual([
      'READY_MAX_LAG must be an integer 0-1099511627776 (got "lots")',
    ]);
  });

  it('a relative DATA_DIR is resolved against the working directory and an absolute one kept', () => {
    expect(parseConfig({ DATA_DIR: 'var/x' }, CWD).dataDir).toBe('/srv/accord/var/x');
    expect(parseConfig({ DATA_DIR: '/data' }, CWD).eventStore).toEqual({
      kind: 'sqlite',
      file: '/data/events.db',
    });
  });

  it('KURRENTDB_URL switches the event store to KurrentDB and the node to cluster mode', () => {
    const c = parseConfig({ KURRENTDB_URL: 'kurrentdb://db:2113?tls=false', PLATFORM_SECRET: SECRET }, CWD);
    expect(c.mode).toBe('cluster');
    expect(c.eventStore).toEqual({ kind: 'kurrentdb', connectionString: 'kurrentdb://db:2113?tls=false' });
    expect(c.readModels.file).toBe('/srv/accord/data/read.db');
  });

  it('a KURRENTDB_URL with another scheme is refused without echoing the value, which may hold a password', () => {
    const [problem] = problemsOf({ KURRENTDB_URL: 'https://admin:hunter2@db:2113', PLATFORM_SECRET: SECRET });
    expect(problem).toMatch(/^KURRENTDB_URL must be/);
    expect(problem).not.toContain('hunter2');
  });

  it('POSTGRES_URL switches the event store to PostgreSQL and the node to cluster mode', () => {
    const url = 'postgres://accord:pw@db:5432/accord?sslmode=require';
    const c = parseConfig({ POSTGRES_URL: url, PLATFORM_SECRET: SECRET }, CWD);
    expect(c.mode).toBe('cluster');
    expect(c.eventStore).toEqual({ kind: 'postgres', connectionString: url });
    expect(
      parseConfig({ POSTGRES_URL: 'postgresql://db/accord', PLATFORM_SECRET: SECRET }, CWD).eventStore,
    ).toEqual({ kind: 'postgres', connectionString: 'postgresql://db/accord' });
  });

  it('a POSTGRES_URL with another scheme is refused without echoing the value, which may hold a password', () => {
    const [problem] = problemsOf({ POSTGRES_URL: 'mysql://root:hunter2@db/accord', PLATFORM_SECRET: SECRET });
    expect(problem).toBe(
      'POSTGRES_URL must be a postgres:// or postgresql:// connection string (got scheme "mysql")',
    );
    expect(problem).not.toContain('hunter2');
  });

  it('POSTGRES_URL needs PLATFORM_SECRET and cannot be set beside KURRENTDB_URL', () => {
    expect(problemsOf({ POSTGRES_URL: 'postgres://db/accord' })).toEqual([
      'PLATFORM_SECRET must be set when POSTGRES_URL is set (all nodes share it)',
    ]);
    expect(
      problemsOf({
        POSTGRES_URL: 'postgres://db/accord',
        KURRENTDB_URL: 'kurrentdb://db:2113',
        PLATFORM_SECRET: SECRET,
      }),
    ).toEqual([
      'POSTGRES_URL and KURRENTDB_URL are both set: the event store is one engine, set one of them',
    ]);
  });

  it('cluster mode needs PLATFORM_SECRET, because every node must derive the same subject reference', () => {
    expect(problemsOf({ KURRENTDB_URL: 'kurrentdb://db:2113' })).toEqual([
      'PLATFORM_SECRET must be set when KURRENTDB_URL is set (all nodes share it)',
    ]);
  });

  it('a short PLATFORM_SECRET is refused by its length, never by its value', () => {
    const [problem] = problemsOf({ PLATFORM_SECRET: 'tooshort' });
    expect(problem).toBe('PLATFORM_SECRET must be at least 32 characters (got 8)');
  });

  it('S3_ENDPOINT switches the object store to S3 and needs its bucket, region and keys', () => {
    expect(problemsOf({ S3_ENDPOINT: 'http://minio:9000' })).toEqual([
      'S3_BUCKET, S3_REGION, S3_ACCESS_KEY, S3_SECRET_KEY must be set when S3_ENDPOINT is set',
    ]);
    const c = parseConfig(
      {
        S3_ENDPOINT: 'http://minio:9000',
        S3_BUCKET: 'accord',
        S3_REGION: 'EU-WEST-2',
        S3_ACCESS_KEY: 'a',
        S3_SECRET_KEY: 'b',
      },
      CWD,
    );
    expect(c.objectStore).toEqual({
      kind: 's3',
      endpoint: 'http://minio:9000',
      bucket: 'accord',
      region: 'eu-west-2',
      accessKey: 'a',
      secretKey: 'b',
    });
  });

  it('S3 settings without S3_ENDPOINT are refused rather than silently ignored', () => {
    expect(problemsOf({ S3_BUCKET: 'accord' })).toEqual(['S3_ENDPOINT must be set when S3_BUCKET is set']);
  });

  it('REDIS_URL switches the scheduler to BullMQ and must be a redis URL', () => {
    expect(parseConfig({ REDIS_URL: 'redis://cache:6379' }, CWD).scheduler).toEqual({
      kind: 'bullmq',
      redisUrl: 'redis://cache:6379',
      lockMs: 30_000,
    });
    expect(problemsOf({ REDIS_URL: 'http://cache' })).toEqual([
      'REDIS_URL must be a redis:// or rediss:// URL',
    ]);
  });

  it('BULLMQ_LOCK_MS sets how long a dead worker holds its jobs, within 1 s to 10 min', () => {
    const env = { REDIS_URL: 'redis://cache:6379', BULLMQ_LOCK_MS: '2000' };
    expect(parseConfig(env, CWD).scheduler).toMatchObject({ kind: 'bullmq', lockMs: 2000 });
    expect(problemsOf({ BULLMQ_LOCK_MS: '999' })).toEqual([
      'BULLMQ_LOCK_MS must be an integer 1000-600000 (got "999")',
    ]);
  });

  it('TRUSTED_PROXIES accepts IPs, CIDRs and the loopback/linklocal/uniquelocal names', () => {
    expect(
      parseConfig({ TRUSTED_PROXIES: '10.0.0.0/8, ::1, loopback,192.168.1.7' }, CWD).http.trustedProxies,
    ).toEqual(['10.0.0.0/8', '::1', 'loopback', '192.168.1.7']);
    expect(problemsOf({ TRUSTED_PROXIES: '10.0.0.0/33' })[0]).toMatch(
      /^TRUSTED_PROXIES must be .* \(got "10.0.0.0\/33"\)$/,
    );
    expect(problemsOf({ TRUSTED_PROXIES: 'everyone' })[0]).toMatch(/^TRUSTED_PROXIES/);
  });

  it('CLIENT_COUNTRY_HEADER is lower-cased and must be a header name', () => {
    expect(parseConfig({ CLIENT_COUNTRY_HEADER: 'CF-IPCountry' }, CWD).http.clientCountryHeader).toBe(
      'cf-ipcountry',
    );
    expect(problemsOf({ CLIENT_COUNTRY_HEADER: 'x country' })[0]).toMatch(/^CLIENT_COUNTRY_HEADER/);
  });

  it('UK_STORAGE_REGIONS is a lower-cased allow-list that cannot be empty', () => {
    expect(parseConfig({ UK_STORAGE_REGIONS: 'UK-South, eu-west-2' }, CWD).ukStorageRegions).toEqual([
      'uk-south',
      'eu-west-2',
    ]);
    expect(problemsOf({ UK_STORAGE_REGIONS: ' , ' })).toEqual([
      'UK_STORAGE_REGIONS must name at least one region',
    ]);
  });

  it('LOG_LEVEL accepts the pino levels in any case', () => {
    expect(parseConfig({ LOG_LEVEL: 'WARN' }, CWD).logLevel).toBe('warn');
    expect(problemsOf({ LOG_LEVEL: 'verbose' })[0]).toMatch(/^LOG_LEVEL must be one of fatal, error/);
  });

  it('HOST takes an address or a host name', () => {
    expect(parseConfig({ HOST: '0.0.0.0' }, CWD).http.host).toBe('0.0.0.0');
    expect(parseConfig({ HOST: '::' }, CWD).http.host).toBe('::');
    expect(problemsOf({ HOST: 'http://x' })[0]).toMatch(/^HOST must be/);
  });

  it('a very long bad value is truncated in the message', () => {
    const [problem] = problemsOf({ PORT: '9'.repeat(500) });
    expect(problem!.length).toBeLessThan(120);
  });

  it('documents: an orphaned object is swept after an hour by default, checked every ten minutes', () => {
    expect(parseConfig({}, CWD).documents).toEqual({
      orphanGraceMs: 3_600_000,
      orphanSweepIntervalMs: 600_000,
    });
    expect(parseConfig({ ORPHAN_GRACE_MS: '500', ORPHAN_SWEEP_INTERVAL_MS: '200' }, CWD).documents).toEqual({
      orphanGraceMs: 500,
      orphanSweepIntervalMs: 200,
    });
  });

  it('ACCORD_FAULT is unset by default and only names a known fault point', () => {
    expect(parseConfig({}, CWD).fault).toBeUndefined();
    expect(parseConfig({ ACCORD_FAULT: 'after-object-put' }, CWD).fault).toBe('after-object-put');
    expect(problemsOf({ ACCORD_FAULT: 'everywhere' })).toEqual([
      'ACCORD_FAULT must be one of after-object-put, destroy-after-expired, destroy-after-delete (got "everywhere")',
    ]);
  });
});

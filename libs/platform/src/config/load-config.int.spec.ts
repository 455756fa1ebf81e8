import { mkdtempSync, rmSync, statSync, writeFileSync, chmodSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ConfigError } from './accord-config';
import { loadConfig } from './load-config';

describe('loadConfig', () => {
  let root: string;
  beforeEach(() => {
    root = mkdtempSync(join(tmpdir(), 'accord-config-'));
  });
  afterEach(() => rmSync(root, { recursive: true, force: true }));

  it('creates the data directory and, in embedded mode, a 0600 secret file kept across restarts', () => {
    const dataDir = join(root, 'nested', 'data');
    const first = loadConfig({ DATA_DIR: dataDir }, root);
    expect(statSync(dataDir).isDirectory()).toBe(true);
    expect(statSync(join(dataDir, 'secret')).mode & 0o777).toBe(0o600);
    expect(first.platformSecret).toMatch(/^[0-9a-f]{64}$/);
    expect(loadConfig({ DATA_DIR: dataDir }, root).platformSecret).toBe(first.platformSecret);
  });

  it('PLATFORM_SECRET wins over the file and writes none', () => {
    const secret = 's'.repeat(40);
    const c = loadConfig({ DATA_DIR: root, PLATFORM_SECRET: secret }, root);
    expect(c.platformSecret).toBe(secret);
    expect(() => statSync(join(root, 'secret'))).toThrow();
  });

  it('a secret file readable by others is tightened to 0600', () => {
    writeFileSync(join(root, 'secret'), 'x'.repeat(64));
    chmodSync(join(root, 'secret'), 0o644);
    expect(loadConfig({ DATA_DIR: root }, root).platformSecret).toBe('x'.repeat(64));
    expect(statSync(join(root, 'secret')).mode & 0o777).toBe(0o600);
  });

  it('a truncated secret file stops start-up instead of silently changing every subject reference', () => {
    writeFileSync(join(root, 'secret'), 'short\n', { mode: 0o600 });
    expect(() => loadConfig({ DATA_DIR: root }, root)).toThrow(ConfigError);
    expect(readFileSync(join(root, 'secret'), 'utf8')).toBe('short\n');
  });

  it('the loaded configuration is frozen all the way down', () => {
    const c = loadConfig({ DATA_DIR: root }, root);
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.http)).toBe(true);
    expect(Object.isFrozen(c.http.trustedProxies)).toBe(true);
  });
});

import { spawn } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface GpgResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

export interface GpgKeyListing {
  fingerprint: string;
  /** Sub(keys) with the encryption capability, lower-case key ids. */
  encryptionKeyIds: string[];
}

/**
 * A throwaway GnuPG home (real /usr/bin/gpg, no mocks): unattended with loopback pinentry and an empty
 * passphrase, every key trusted so encryption to imported keys does not prompt. dispose() stops the agent
 * this home started and deletes it.
 */
export class GnupgHome {
  private constructor(readonly dir: string) {}

  static async create(): Promise<GnupgHome> {
    // Short path under /tmp: gpg-agent's socket path must fit in sockaddr_un (108 bytes).
    return new GnupgHome(await mkdtemp(join(tmpdir(), 'accord-gpg-')));
  }

  async gpg(args: string[], input?: Uint8Array | string, passphrase = ''): Promise<GpgResult> {
    const base = [
      '--homedir',
      this.dir,
      '--batch',
      '--no-tty',
      '--pinentry-mode',
      'loopback',
      '--passphrase',
      passphrase,
    ];
    return run('gpg', [...base, '--trust-model', 'always', ...args], input);
  }

  async gpgOk(args: string[], input?: Uint8Array | string, passphrase = ''): Promise<GpgResult> {
    const result = await this.gpg(args, input, passphrase);
    if (result.code !== 0) throw new Error(`gpg ${args[0]} failed (${result.code}): ${result.stderr}`);
    return result;
  }

  /** `--quick-gen-key` then optional `--quick-add-key` for an encryption subkey; returns the fingerprint. */
  async generateKey(
    userId: string,
    primary: { algo: string; usage: string },
    encryptionSubkey?: string,
  ): Promise<string> {
    await this.gpgOk(['--quick-gen-key', userId, primary.algo, primary.usage, '0']);
    const { fingerprint } = await this.listKey(userId);
    if (encryptionSubkey) await this.gpgOk(['--quick-add-key', fingerprint, encryptionSubkey, 'encr', '0']);
    return fingerprint;
  }

  async listKey(selector: string): Promise<GpgKeyListing> {
    const { stdout } = await this.gpgOk(['--with-colons', '--list-keys', selector]);
    const lines = stdout
      .toString('utf8')
      .split('\n')
      .map((line) => line.split(':'));
    const fingerprint = lines.find((f) => f[0] === 'fpr')?.[9]?.toLowerCase();
    if (!fingerprint) throw new Error('no fingerprint listed');
    const encryptionKeyIds = lines
      .filter((f) => (f[0] === 'pub' || f[0] === 'sub') && (f[11] ?? '').includes('e'))
      .map((f) => f[4]!.toLowerCase());
    return { fingerprint, encryptionKeyIds };
  }

  async exportPublic(fingerprint: string): Promise<string> {
    return (await this.gpgOk(['--armor', '--export', fingerprint])).stdout.toString('utf8');
  }

  async exportSecret(fingerprint: string): Promise<string> {
    return (await this.gpgOk(['--armor', '--export-secret-keys', fingerprint])).stdout.toString('utf8');
  }

  async importKey(armored: string, passphrase = ''): Promise<void> {
    await this.gpgOk(['--import'], armored, passphrase);
  }

  async dispose(): Promise<void> {
    await run('gpgconf', ['--homedir', this.dir, '--kill', 'all']).catch(() => undefined);
    await rm(this.dir, { recursive: true, force: true });
  }
}

function run(command: string, args: string[], input?: Uint8Array | string): Promise<GpgResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { stdio: ['pipe', 'pipe', 'pipe'] });
    const stdout: Buffer[] = [];
    const stderr: Buffer[] = [];
    child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk));
    child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk));
    child.on('error', reject);
    child.on('close', (code) =>
      resolve({
        stdout: Buffer.concat(stdout),
        stderr: Buffer.concat(stderr).toString('utf8'),
        code: code ?? -1,
      }),
    );
    child.stdin.on('error', () => undefined);
    child.stdin.end(input ?? undefined);
  });
}

import { spawnSync } from 'node:child_process';
import { createHash, randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateRawSync, deflateSync, gzipSync } from 'node:zlib';
import { createMessage, encrypt, generateKey, type PublicKey } from 'openpgp';
import { EncryptedMessageScanner, listRecipientKeyIds, MessageError } from '@accord/crypto';

/**
 * The ciphertext check's two figures (docs/security.md, issue 12), measured on real messages:
 * - false refusals: genuine messages, encrypted by openpgp.js (SEIPD v1 to v4 keys, v2 to v6 keys) and by
 *   the system's `gpg`, of sizes from 1 byte to 10 MiB, each scanned exactly as an upload is. Must be 0.
 * - detection: disguised plaintext (the PKESKs of a genuine message, a tag-18 header, then the cleartext)
 *   per kind and size.
 *
 * `npm run build && node dist/bench/ciphertext-check.measure.js [--genuine=10000] [--gpg=300] [--seed=s]`
 */

const args = Object.fromEntries(
  process.argv.slice(2).map((a) => {
    const [k, v] = a.replace(/^--/, '').split('=');
    return [k!, v ?? 'true'];
  }),
);
const GENUINE = Number(args['genuine'] ?? 10_000);
const GPG = Number(args['gpg'] ?? 300);
const MAX = 10 * 1024 * 1024;
let state =
  createHash('sha256')
    .update(String(args['seed'] ?? 'accord-ciphertext'))
    .digest()
    .readUInt32BE(0) || 1;

/** Deterministic pseudo-random numbers (xorshift32), so a run can be repeated. */
function rand(): number {
  state ^= state << 13;
  state ^= state >>> 17;
  state ^= state << 5;
  state >>>= 0;
  return state / 2 ** 32;
}

/** Sizes: log-uniform between 1 byte and 10 MiB, with the end points and the window edges included. */
function sizeAt(i: number): number {
  const fixed = [1, 2, 15, 16, 17, 100, 511, 512, 513, 4095, 4096, 4097, 65_536, 1024 * 1024, MAX];
  if (i < fixed.length) return fixed[i]!;
  // Mostly small (as documents are), but every size class to 10 MiB; big ones are fewer to keep the run short.
  const r = rand();
  const top = i % 100 === 0 ? Math.log(MAX) : i % 10 === 0 ? Math.log(1024 * 1024) : Math.log(64 * 1024);
  return Math.max(1, Math.min(MAX, Math.floor(Math.exp(r * top))));
}

function plaintextOf(size: number, kind: number): Uint8Array {
  if (kind % 3 === 0) return randomBytes(size);
  if (kind % 3 === 1) return Buffer.alloc(size, 0x20);
  return Buffer.from(notes(size));
}

function scan(bytes: Uint8Array): 'accepted' | string {
  const scanner = new EncryptedMessageScanner();
  try {
    for (let i = 0; i < bytes.length; i += 65_536) scanner.push(bytes.subarray(i, i + 65_536));
    scanner.end();
    return 'accepted';
  } catch (error) {
    if (error instanceof MessageError) return `${error.code}: ${error.detail}`;
    throw error;
  }
}

async function genuineOpenPgpJs(keysV4: PublicKey[], keysV6: PublicKey[]) {
  const refusals: string[] = [];
  let bytes = 0;
  const bySize = new Map<string, number>();
  for (let i = 0; i < GENUINE; i += 1) {
    const size = sizeAt(i);
    const v6 = i % 2 === 1;
    const keys = (v6 ? keysV6 : keysV4).slice(0, 1 + (i % 3));
    const message = await createMessage({ binary: plaintextOf(size, i) });
    const ciphertext = await encrypt({ message, encryptionKeys: keys, format: 'binary' });
    bytes += ciphertext.length;
    const verdict = scan(ciphertext);
    if (verdict !== 'accepted') refusals.push(`openpgp.js #${i} (${size} bytes, v${v6 ? 2 : 1}): ${verdict}`);
    const bucket = bucketOf(size);
    bySize.set(bucket, (bySize.get(bucket) ?? 0) + 1);
    if (i % 1000 === 999) process.stderr.write(`openpgp.js ${i + 1}/${GENUINE}\n`);
  }
  return { messages: GENUINE, bytes, refusals, bySize: Object.fromEntries(bySize) };
}

function genuineGpg() {
  const home = mkdtempSync(join(tmpdir(), 'accord-gpg-'));
  const gpg = (a: string[], input?: Uint8Array) =>
    spawnSync('gpg', ['--homedir', home, '--batch', '--no-tty', '--trust-model', 'always', ...a], {
      input,
      maxBuffer: 64 * 1024 * 1024,
    });
  try {
    const made = gpg(['--passphrase', '', '--quick-gen-key', 'measure@test.example', 'ed25519', 'sign', '0']);
    if (made.status !== 0) return { messages: 0, refusals: [], skipped: made.stderr.toString() };
    const fpr = /fpr:+([0-9A-F]{40})/.exec(
      gpg(['--with-colons', '--list-keys', 'measure@test.example']).stdout.toString(),
    )![1]!;
    gpg(['--passphrase', '', '--quick-add-key', fpr, 'cv25519', 'encr', '0']);
    const rsa = gpg(['--passphrase', '', '--quick-gen-key', 'rsa@test.example', 'rsa3072', 'sign', '0']);
    const rsaFpr = /fpr:+([0-9A-F]{40})/.exec(
      gpg(['--with-colons', '--list-keys', 'rsa@test.example']).stdout.toString(),
    )?.[1];
    if (rsaFpr) gpg(['--passphrase', '', '--quick-add-key', rsaFpr, 'rsa3072', 'encr', '0']);
    const refusals: string[] = [];
    for (let i = 0; i < GPG; i += 1) {
      const size = sizeAt(i);
      const to =
        i % 2 === 0 || rsa.status !== 0 ? ['-r', 'measure@test.example'] : ['-r', 'rsa@test.example'];
      const extra = i % 3 === 0 ? ['--armor'] : i % 3 === 1 ? ['--compress-algo', 'none'] : [];
      const out = gpg(['--encrypt', ...to, ...extra, '-o', '-'], plaintextOf(size, i));
      if (out.status !== 0) throw new Error(`gpg --encrypt failed: ${out.stderr.toString()}`);
      const binary = extra[0] === '--armor' ? dearmor(out.stdout) : out.stdout;
      const verdict = scan(binary);
      if (verdict !== 'accepted') refusals.push(`gpg #${i} (${size} bytes ${extra.join(' ')}): ${verdict}`);
    }
    return { messages: GPG, refusals };
  } finally {
    rmSync(home, { recursive: true, force: true });
  }
}

function dearmor(text: Buffer): Buffer {
  const lines = text.toString('latin1').split(/\r?\n/);
  const blank = lines.findIndex((l) => l.trim() === '');
  const body = lines.slice(blank + 1).filter((l) => !l.startsWith('=') && !l.startsWith('-----'));
  return Buffer.from(body.join(''), 'base64');
}

const WORDS = (
  'strategy meeting child mother father school police social worker referral concern neglect visit ' +
  'attendance disclosed safeguarding plan review health visitor GP hospital injury bruise home ' +
  'contact siblings assessment section 47 enquiry outcome agreed actions Monday Friday report'
).split(' ');

let corpus: string | undefined;
/** Case-note-like text: slices of one generated corpus (generating per message would dominate the run). */
function notes(size: number): string {
  corpus ??= generateNotes(MAX + 65_536);
  if (size > corpus.length) return generateNotes(size);
  const at = Math.floor(rand() * (corpus.length - size));
  return corpus.slice(at, at + size);
}

function generateNotes(size: number): string {
  let out = '';
  while (out.length < size) {
    const r = rand();
    if (r < 0.05) out += `NHS ${nhs()} `;
    else if (r < 0.1) out += '.\n';
    else out += `${WORDS[Math.floor(rand() * WORDS.length)]} `;
  }
  return out.slice(0, size);
}

function nhs(): string {
  const d = Array.from({ length: 9 }, () => Math.floor(rand() * 10));
  const sum = d.reduce((s, x, i) => s + x * (10 - i), 0);
  const check = (11 - (sum % 11)) % 11;
  return `${d.join('')}${check === 10 ? 0 : check}`.replace(/(\d{3})(\d{3})(\d{4})/, '$1 $2 $3');
}

function csv(size: number): string {
  let out = 'nhs_number,surname,forename,dob,postcode,concern\n';
  while (out.length < size)
    out += `${nhs().replace(/ /g, '')},${WORDS[Math.floor(rand() * WORDS.length)]},Sam,20${10 + Math.floor(rand() * 10)}-0${1 + Math.floor(rand() * 9)}-1${Math.floor(rand() * 10)},ST${Math.floor(rand() * 20)} ${Math.floor(rand() * 9)}AB,${WORDS[Math.floor(rand() * WORDS.length)]}\n`;
  return out.slice(0, size);
}

function json(size: number): string {
  const items = [];
  let length = 2;
  while (length < size) {
    const item = JSON.stringify({ nhsNumber: nhs(), note: notes(40), risk: Math.floor(rand() * 5) });
    items.push(item);
    length += item.length + 1;
  }
  return JSON.stringify({ case: 'SCC/2025/17', entries: items.map((s) => JSON.parse(s)) }).slice(0, size);
}

let crcTable: Uint32Array | undefined;
function crc32(bytes: Uint8Array): number {
  crcTable ??= Uint32Array.from({ length: 256 }, (_, n) => {
    let c = n;
    for (let k = 0; k < 8; k += 1) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    return c >>> 0;
  });
  let c = 0xffffffff;
  for (const b of bytes) c = crcTable[(c ^ b) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

function zip(content: Buffer): Buffer {
  const data = deflateRawSync(content);
  const name = Buffer.from('case-notes.txt');
  const header = Buffer.alloc(30);
  header.writeUInt32LE(0x04034b50, 0);
  header.writeUInt16LE(20, 4);
  header.writeUInt16LE(8, 8);
  header.writeUInt32LE(crc32(content), 14);
  header.writeUInt32LE(data.length, 18);
  header.writeUInt32LE(content.length, 22);
  header.writeUInt16LE(name.length, 26);
  return Buffer.concat([header, name, data]);
}

function png(size: number): Buffer {
  const width = Math.max(1, Math.floor(Math.sqrt(size / 3)));
  const rows = [];
  for (let y = 0; y < width; y += 1) {
    const row = Buffer.alloc(1 + width * 3);
    for (let x = 0; x < width; x += 1)
      row.set([(x * 3) & 255, (y * 5) & 255, ((x + y) * 7 + Math.floor(rand() * 8)) & 255], 1 + x * 3);
    rows.push(row);
  }
  const chunk = (type: string, body: Buffer) => {
    const length = Buffer.alloc(4);
    length.writeUInt32BE(body.length);
    const typed = Buffer.concat([Buffer.from(type), body]);
    const crc = Buffer.alloc(4);
    crc.writeUInt32BE(crc32(typed));
    return Buffer.concat([length, typed, crc]);
  };
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(width, 0);
  ihdr.writeUInt32BE(width, 4);
  ihdr.set([8, 2, 0, 0, 0], 8);
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', ihdr),
    chunk('IDAT', deflateSync(Buffer.concat(rows))),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const KINDS: Record<string, (size: number) => Buffer> = {
  'case notes (text, NHS numbers)': (n) => Buffer.from(notes(n)),
  'CSV of NHS numbers': (n) => Buffer.from(csv(n)),
  JSON: (n) => Buffer.from(json(n)),
  'UTF-16 text': (n) => Buffer.from(notes(Math.ceil(n / 2)), 'utf16le').subarray(0, n),
  'gzip of notes': (n) => gzipSync(notes(n)),
  'zip of notes': (n) => zip(Buffer.from(notes(n))),
  'PNG image': (n) => png(n),
  'raw deflate of notes (no signature)': (n) => deflateRawSync(notes(n)),
  'gzip with its 10-byte header cut': (n) => gzipSync(notes(n)).subarray(10),
};
const DISGUISE_SIZES = [8, 16, 24, 32, 48, 64, 128, 256, 1024, 4096, 65_536, 1024 * 1024];

/**
 * The attack, as libs/crypto/src/testing/disguised-plaintext.ts builds it for the tests (the build leaves
 * testing/ out): a genuine message's PKESKs, a SEIPD v1 header of a definite length, the body in clear.
 */
function disguise(pkesks: Uint8Array, body: Uint8Array): Buffer {
  const header = Buffer.alloc(7);
  header.set([0xd2, 0xff], 0);
  header.writeUInt32BE(body.length + 1, 2);
  header[6] = 1;
  return Buffer.concat([pkesks, header, body]);
}

function disguised(genuine: Uint8Array) {
  const table: Record<string, Record<string, string>> = {};
  let detected = 0;
  let total = 0;
  for (const [kind, make] of Object.entries(KINDS)) {
    table[kind] = {};
    for (const size of DISGUISE_SIZES) {
      let hits = 0;
      const why = new Set<string>();
      const tries = size >= 65_536 ? 5 : 20;
      for (let t = 0; t < tries; t += 1) {
        const body = make(size);
        const verdict = scan(disguise(genuine, body));
        if (verdict !== 'accepted') {
          hits += 1;
          why.add(
            verdict.startsWith('message.malformed')
              ? 'structure'
              : verdict.includes('signature')
                ? 'signature'
                : verdict.includes('text test')
                  ? 'text'
                  : 'collisions',
          );
        }
      }
      table[kind][String(size)] = `${hits}/${tries}${why.size ? ` (${[...why].sort().join('+')})` : ''}`;
      detected += hits;
      total += tries;
    }
  }
  return { detected, total, table };
}

function bucketOf(size: number): string {
  if (size < 64) return '1-63 B';
  if (size < 4096) return '64 B-4 KiB';
  if (size < 65_536) return '4-64 KiB';
  if (size < 1024 * 1024) return '64 KiB-1 MiB';
  return '1-10 MiB';
}

async function main(): Promise<void> {
  const started = Date.now();
  const v4 = await Promise.all(
    [1, 2, 3].map((i) =>
      generateKey({
        type: 'ecc',
        curve: 'ed25519Legacy',
        userIDs: [{ email: `k${i}@test.example` }],
        format: 'object',
      }),
    ),
  );
  const v6 = await Promise.all(
    [1, 2, 3].map((i) =>
      generateKey({
        type: 'curve25519',
        userIDs: [{ email: `v6k${i}@test.example` }],
        format: 'object',
        config: { v6Keys: true, aeadProtect: true },
      }),
    ),
  );
  const js = await genuineOpenPgpJs(
    v4.map((k) => k.publicKey),
    v6.map((k) => k.publicKey),
  );
  const viaGpg = genuineGpg();
  const genuine = await encrypt({
    message: await createMessage({ binary: Buffer.from('x') }),
    encryptionKeys: [v4[0]!.publicKey],
    format: 'binary',
  });
  // The single PKESK of a message to one key ends where the SEIPD packet (0xd2) starts.
  await listRecipientKeyIds(genuine);
  const attack = disguised(genuine.subarray(0, genuine.indexOf(0xd2, 1)));
  const report = {
    genuine: {
      openpgpjs: {
        messages: js.messages,
        megabytes: Math.round(js.bytes / 1048576),
        sizes: js.bySize,
        falseRefusals: js.refusals.length,
      },
      gpg: {
        messages: viaGpg.messages,
        falseRefusals: viaGpg.refusals.length,
        ...('skipped' in viaGpg ? { skipped: viaGpg.skipped } : {}),
      },
      refusals: [...js.refusals, ...viaGpg.refusals].slice(0, 20),
    },
    disguised: { detected: attack.detected, total: attack.total, rate: attack.detected / attack.total },
    table: attack.table,
    seconds: (Date.now() - started) / 1000,
  };
  process.stdout.write(`${JSON.stringify(report, null, 2)}\n`);
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
  process.exit(1);
});

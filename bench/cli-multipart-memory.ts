/*
 * Peak RSS of the CLI's upload of a 50 MiB payload (BENCH_MIB to change it), three ways, each in a child process of its own (so the
 * receiving server's memory is not counted): the hand-written streaming multipart (documents-http.ts),
 * Node's FormData + fetch with the payload collected into a Blob (a stream cannot go into FormData
 * otherwise), and FormData + fetch over a file-backed Blob (fs.openAsBlob: the ciphertext written to a temp
 * file first). Run: npm run build && node dist/bench/cli-multipart-memory.js
 * The figures are quoted in apps/cli/src/commands/documents-http.ts.
 */
import { fork } from 'node:child_process';
import { createWriteStream, mkdtempSync, openAsBlob, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { postMultipart } from '../apps/cli/src/commands/documents-http';

const MIB = 1024 * 1024;
const SIZE = Number(process.env.BENCH_MIB ?? 50) * MIB;
const CHUNK = 64 * 1024;

/** SIZE bytes in 64 KiB chunks, produced on demand like the encryptor's output. */
function payload(): Readable {
  let sent = 0;
  return new Readable({
    read() {
      if (sent >= SIZE) return this.push(null);
      const n = Math.min(CHUNK, SIZE - sent);
      sent += n;
      this.push(Buffer.alloc(n, sent % 251));
    },
  });
}

type Variant = 'hand-written' | 'formdata-buffered' | 'formdata-file';

async function child(variant: Variant, url: string, dir: string): Promise<void> {
  const started = Date.now();
  const metadata = JSON.stringify({ title: 'bench' });
  if (variant === 'hand-written') {
    await postMultipart({ url, token: 't' }, '/documents', {
      metadata: { title: 'bench' },
      payload: payload(),
    });
  } else {
    let blob: Blob;
    if (variant === 'formdata-buffered') {
      const chunks: Buffer[] = [];
      for await (const c of payload()) chunks.push(c as Buffer);
      blob = new Blob(chunks);
    } else {
      const file = join(dir, 'payload.pgp');
      await pipeline(payload(), createWriteStream(file));
      blob = await openAsBlob(file);
    }
    const form = new FormData();
    form.append('metadata', new Blob([metadata], { type: 'application/json' }));
    form.append('payload', blob, 'payload.pgp');
    const res = await fetch(`${url}/documents`, {
      method: 'POST',
      headers: { authorization: 'Bearer t' },
      body: form,
    });
    await res.text();
  }
  const peakMiB = process.resourceUsage().maxRSS / 1024;
  process.send!({ variant, peakMiB: Math.round(peakMiB), seconds: (Date.now() - started) / 1000 });
}

async function main(): Promise<void> {
  const [, , role, variant, url, childDir] = process.argv;
  if (role === 'child') return child(variant as Variant, url!, childDir!);
  const server = createServer((req, res) => {
    let bytes = 0;
    req.on('data', (c: Buffer) => (bytes += c.length));
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ documentId: 'x', bytes }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const base = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const dir = mkdtempSync(join(tmpdir(), 'accord-multipart-bench-'));
  try {
    for (const variant of ['hand-written', 'formdata-buffered', 'formdata-file'] as const) {
      const result = await new Promise((resolve, reject) => {
        const p = fork(__filename, ['child', variant, base, dir]);
        p.once('message', resolve);
        p.once('error', reject);
        p.once('exit', (code) => (code === 0 ? undefined : reject(new Error(`${variant} exited ${code}`))));
      });
      console.log(JSON.stringify(result));
    }
  } finally {
    server.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

void main();

import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface RecordingProxy {
  url: string;
  /** Requests that carried a body, their method and path, and whether the body contained the marker. */
  bodies: { method: string; path: string; size: number; containsMarker: boolean }[];
  close(): Promise<void>;
}

/**
 * A reverse proxy between the browser and the api that looks at every request body as it passes, byte for
 * byte as the browser sent it: DevTools gives no body for a Blob-backed multipart upload, so the check that
 * no plaintext leaves the browser has to sit on the wire. The marker is searched across chunk boundaries,
 * so a 100 MiB upload is scanned without being held.
 */
export async function startRecordingProxy(target: string, marker: Buffer): Promise<RecordingProxy> {
  const bodies: RecordingProxy['bodies'] = [];
  const server: Server = createServer((req, res) => {
    let tail = Buffer.alloc(0);
    let size = 0;
    let containsMarker = false;
    const upstream = request(target + req.url, { method: req.method, headers: req.headers }, (answer) => {
      res.writeHead(answer.statusCode ?? 502, answer.headers);
      answer.pipe(res);
    });
    upstream.on('error', () => res.destroy());
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      const window = Buffer.concat([tail, chunk]);
      if (window.includes(marker)) containsMarker = true;
      tail = window.subarray(Math.max(0, window.length - marker.length + 1));
    });
    req.on('end', () => {
      if (size > 0) bodies.push({ method: req.method ?? '', path: req.url ?? '', size, containsMarker });
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    bodies,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

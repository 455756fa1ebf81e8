import type { Server } from 'node:http';
import type { Duplex } from 'node:stream';
import { PROBLEM_CONTENT_TYPE, problemType } from './problem';

/**
 * Requests Node's HTTP parser refuses before Express sees them (a request line or headers over the size
 * limit, malformed HTTP): Node would answer a bare 400/431 with no body. We answer the same status as an
 * RFC 9457 problem, so every error a client can provoke has the one shape (issue 12 §5). No correlation
 * id exists yet: the request never started.
 */
export function answerClientErrorsAsProblems(server: Server): void {
  server.on('clientError', (error: NodeJS.ErrnoException, socket: Duplex) => {
    if (!socket.writable || error.code === 'ECONNRESET') return void socket.destroy();
    const [status, code, title] =
      error.code === 'HPE_HEADER_OVERFLOW'
        ? [431, 'header-fields-too-large', 'Request header fields too large']
        : error.code === 'ERR_HTTP_REQUEST_TIMEOUT'
          ? [408, 'request-timeout', 'Request timeout']
          : [400, 'malformed-http', 'Malformed HTTP request'];
    const body = JSON.stringify({
      type: problemType(code),
      title,
      status,
      detail:
        status === 431
          ? 'The request line or headers are larger than the server accepts.'
          : 'The request is not valid HTTP/1.1.',
      instance: '',
    });
    socket.end(
      `HTTP/1.1 ${status} ${title}\r\nContent-Type: ${PROBLEM_CONTENT_TYPE}\r\n` +
        `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
  });
}

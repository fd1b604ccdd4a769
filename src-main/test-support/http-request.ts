import http from 'node:http';
import net from 'node:net';

export interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/**
 * A plain HTTP request with full control over headers (fetch refuses to set Host). The body is written in
 * chunks and writing stops once the server answers, so an early refusal (413) is seen rather than a reset.
 */
export async function rawRequest(
  port: number,
  options: {
    method?: string;
    path?: string;
    headers?: Record<string, string>;
    body?: string | Buffer;
    /** Send the body chunked, without a Content-Length, so the server only learns its size by reading. */
    chunked?: boolean;
  },
): Promise<RawResponse> {
  const body = typeof options.body === 'string' ? Buffer.from(options.body) : options.body;
  const request = http.request({
    host: '127.0.0.1',
    port,
    method: options.method ?? 'GET',
    path: options.path ?? '/',
    headers: {
      Host: `127.0.0.1:${port}`,
      ...(body && !options.chunked ? { 'Content-Length': String(body.length) } : {}),
      ...options.headers,
    },
  });
  let answered = false;
  const response = new Promise<RawResponse>((resolve, reject) => {
    request.on('response', (incoming) => {
      answered = true;
      const chunks: Buffer[] = [];
      incoming.on('data', (chunk: Buffer) => chunks.push(chunk));
      incoming.on('end', () =>
        resolve({
          status: incoming.statusCode ?? 0,
          headers: incoming.headers,
          body: Buffer.concat(chunks).toString(),
        }),
      );
    });
    request.on('error', (error) => (answered ? undefined : reject(error)));
  });

  const stopped = new Promise<void>((resolve) => {
    request.once('response', () => resolve());
    request.once('close', () => resolve());
  });
  request.flushHeaders();
  const chunkSize = 64 * 1024;
  for (let offset = 0; body && offset < body.length && !answered && !request.destroyed; offset += chunkSize) {
    if (!request.write(body.subarray(offset, offset + chunkSize)))
      await Promise.race([new Promise((resolve) => request.once('drain', resolve)), stopped]);
  }
  if (!answered) request.end();
  return response;
}

/**
 * Sends `lines` as a raw HTTP/1.1 request head and returns the answer's status: for request targets and
 * methods that http.request would refuse or rewrite (`//`, `*`, absolute form). Resolves 0 when the server
 * closes the connection without answering.
 */
export function rawHead(port: number, lines: string[]): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1');
    let received = '';
    socket.on('connect', () => socket.write(`${lines.join('\r\n')}\r\n\r\n`));
    socket.on('data', (chunk: Buffer) => {
      received += chunk.toString('latin1');
      if (received.includes('\r\n')) socket.destroy();
    });
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(received)?.[1] ?? 0)));
    socket.on('error', (error: NodeJS.ErrnoException) =>
      error.code === 'ECONNRESET' ? undefined : reject(error),
    );
  });
}

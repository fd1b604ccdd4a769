import type { IncomingMessage } from 'node:http';

export class HttpError extends Error {
  readonly status: number;

  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/**
 * Reads a JSON request body, refusing other content types (415) and bodies over `maxBytes` (413). It
 * refuses as soon as the limit is passed, without tearing down the connection: see `discardBody`.
 */
export function readJsonBody(request: IncomingMessage, maxBytes: number): Promise<unknown> {
  const type = (request.headers['content-type'] ?? '').split(';')[0]?.trim().toLowerCase();
  if (type !== 'application/json') {
    return Promise.reject(new HttpError(415, 'The body must be JSON (Content-Type: application/json).'));
  }
  const tooLarge = new HttpError(413, `The body is larger than ${maxBytes} bytes.`);
  if (Number(request.headers['content-length'] ?? 0) > maxBytes) return Promise.reject(tooLarge);

  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      if (size <= maxBytes) {
        chunks.push(chunk);
        return;
      }
      request.off('data', onData).off('end', onEnd);
      reject(tooLarge);
    };
    const onEnd = (): void => {
      try {
        resolve(JSON.parse(Buffer.concat(chunks).toString('utf8')) as unknown);
      } catch {
        reject(new HttpError(415, 'The body is not valid JSON.'));
      }
    };
    request.on('data', onData).on('end', onEnd).on('error', reject);
  });
}

/**
 * Reads and drops the rest of a refused body, so the client can finish sending and then read the answer
 * (closing a socket with unread data makes the kernel reset it, losing the answer). A client that keeps
 * sending is cut off.
 */
export function discardBody(request: IncomingMessage, cutoffMs = 10_000): void {
  const cutoff = setTimeout(() => request.socket.destroy(), cutoffMs).unref();
  request.once('end', () => clearTimeout(cutoff));
  request.resume();
}

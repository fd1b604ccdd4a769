/**
 * Browser mode's server: the built renderer and the contract (WebSocket at /rpc, or one JSON request per
 * HTTP POST to /rpc), on 127.0.0.1 only, behind the guard in core/http.
 */
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { stringifySetCookie } from 'cookie';
import { WebSocketServer, type WebSocket } from 'ws';
import { z } from 'zod';
import { contentSecurityPolicy } from '../../src-shared/content-security-policy';
import { limits } from '../../src-shared/limits';
import type { Outcome, ServerMessage } from '../../src-shared/wire';
import {
  checkRequest,
  queryToken,
  sessionCookieName,
  tokenQueryParam,
  type GuardOptions,
} from '../core/http/guard';
import { httpStatusForError } from '../core/http/error-status';
import { discardBody, HttpError, readJsonBody } from '../core/http/json-body';
import { parseRequestTarget, sameOriginLocation } from '../core/http/request-target';
import type { Logger } from '../core/log';
import { malformedMessageId, type RpcServer } from '../core/rpc/rpc-server';
import { refusalPage } from './refusal-page';
import { readStaticFile } from './static-files';

export interface WebServerOptions {
  rpc: RpcServer;
  rendererDir: string;
  token: string;
  /** 0 picks a free port. */
  port: number;
  log: Logger;
}

export interface WebServer {
  port: number;
  /** The address to open, token included. */
  url: string;
  close(): Promise<void>;
}

export const rpcPath = '/rpc';

const securityHeaders = {
  // Also in index.html as a <meta> tag (the build puts it there); the header covers every response.
  'Content-Security-Policy': contentSecurityPolicy,
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'X-Frame-Options': 'DENY',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
};

export async function startWebServer(options: WebServerOptions): Promise<WebServer> {
  const sockets = new WebSocketServer({ noServer: true, maxPayload: limits.messageBytes });
  const server = http.createServer();
  const guard = (): GuardOptions => ({ token: options.token, port: (server.address() as AddressInfo).port });

  server.on('request', (request, response) => {
    handleHttp(request, response, options, guard()).catch((error: unknown) => {
      options.log.error('HTTP request failed', error);
      if (!response.headersSent) sendJson(response, 500, { error: 'Internal error' });
      else response.destroy();
    });
  });

  server.on('upgrade', (request, socket: Socket, head: Buffer) => {
    // Node hands the socket over with no error listener: a client reset would otherwise crash the process.
    socket.on('error', () => socket.destroy());
    // An exception thrown here would escape every handler and end the process, so none may escape.
    try {
      const refusal = upgradeRefusal(request, guard());
      if (refusal !== null) refuseUpgrade(socket, refusal);
      else sockets.handleUpgrade(request, socket, head, (ws) => bindSocket(ws, options.rpc));
    } catch (error) {
      options.log.error('WebSocket upgrade failed', error);
      // Once the handshake has gone out, an HTTP answer would be garbage on the socket: just close it.
      if (socket.bytesWritten === 0) refuseUpgrade(socket, 400);
      else socket.destroy();
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', resolve);
  });
  const { port } = server.address() as AddressInfo;

  return {
    port,
    url: `http://127.0.0.1:${port}/?${tokenQueryParam}=${encodeURIComponent(options.token)}`,
    close: () =>
      new Promise<void>((resolve) => {
        for (const ws of sockets.clients) ws.terminate();
        sockets.close();
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/** The status to refuse an upgrade with, or null when it may become a contract socket. */
function upgradeRefusal(request: http.IncomingMessage, guard: GuardOptions): number | null {
  const verdict = checkRequest(request, guard);
  if (!verdict.ok) return verdict.status;
  const target = parseRequestTarget(request.url);
  if (target === null) return 400;
  return target.pathname === rpcPath ? null : 404;
}

function refuseUpgrade(socket: Socket, status: number): void {
  socket.end(
    `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`,
  );
}

function bindSocket(ws: WebSocket, rpc: RpcServer): void {
  const connection = rpc.connect((message: ServerMessage) => {
    if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
  });
  ws.on('message', (data, isBinary) => {
    const message = isBinary ? undefined : parseJson(Buffer.isBuffer(data) ? data.toString('utf8') : '');
    if (message === undefined) {
      ws.send(
        JSON.stringify({
          type: 'response',
          id: malformedMessageId,
          ok: false,
          error: { code: 'invalid_input', message: 'Contract messages are JSON text.' },
        } satisfies ServerMessage),
      );
      return;
    }
    connection.receive(message);
  });
  ws.on('close', () => connection.close());
  ws.on('error', () => ws.terminate());
}

async function handleHttp(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  options: WebServerOptions,
  guard: GuardOptions,
): Promise<void> {
  const verdict = checkRequest(request, guard);
  if (!verdict.ok) {
    if (wantsPage(request)) sendPage(response, verdict.status, refusalPage(verdict.status));
    else sendJson(response, verdict.status, { error: verdict.reason });
    return;
  }
  const url = parseRequestTarget(request.url);
  if (url === null) {
    sendJson(response, 400, { error: 'The request target must be a path (/…)' });
    return;
  }

  // First visit with ?token=…: trade it for an HttpOnly cookie and drop it from the address bar.
  if (request.method === 'GET' && queryToken(request) !== null) {
    url.searchParams.delete(tokenQueryParam);
    response.writeHead(303, {
      ...securityHeaders,
      'Set-Cookie': stringifySetCookie({
        name: sessionCookieName(guard.port),
        value: guard.token,
        httpOnly: true,
        sameSite: 'strict',
        path: '/',
      }),
      Location: sameOriginLocation(url),
    });
    response.end();
    return;
  }

  if (url.pathname === rpcPath) {
    await handleRpcPost(request, response, options.rpc);
    return;
  }

  if (request.method !== 'GET' && request.method !== 'HEAD') {
    sendJson(response, 405, { error: 'Method not allowed' }, { Allow: 'GET, HEAD' });
    return;
  }
  const file = await readStaticFile(options.rendererDir, url.pathname);
  if (!file) {
    sendJson(response, 404, { error: 'Not found' });
    return;
  }
  response.writeHead(200, {
    ...securityHeaders,
    'Content-Type': file.contentType,
    'Content-Length': file.body.length,
    'Cache-Control': file.immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
  });
  response.end(request.method === 'HEAD' ? undefined : file.body);
}

/** What POST /rpc accepts: one contract call. */
const rpcPostBody = z.strictObject({
  method: z.string().max(limits.methodNameChars),
  // Left to the method's own schema, which decides whether it may be missing.
  params: z.unknown().optional(),
});

async function handleRpcPost(
  request: http.IncomingMessage,
  response: http.ServerResponse,
  rpc: RpcServer,
): Promise<void> {
  if (request.method !== 'POST') {
    sendJson(response, 405, { error: 'Use POST with {"method": …, "params": …}' }, { Allow: 'POST' });
    return;
  }
  let body: unknown;
  try {
    body = await readJsonBody(request, limits.messageBytes);
  } catch (error) {
    if (!(error instanceof HttpError)) throw error;
    sendJson(response, error.status, { error: error.message });
    discardBody(request);
    return;
  }
  const call = rpcPostBody.safeParse(body);
  if (!call.success) {
    const message = 'The body must be a JSON object {"method": "…", "params": …} and nothing else.';
    sendJson(response, 400, { ok: false, error: { code: 'invalid_input', message } } satisfies Outcome);
    return;
  }
  const outcome = await rpc.handle(call.data.method, call.data.params);
  sendJson(response, outcome.ok ? 200 : httpStatusForError(outcome.error.code), outcome);
}

function parseJson(text: string): unknown {
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

/** A browser navigating (not a script or the contract client): it gets a page a person can read. */
function wantsPage(request: http.IncomingMessage): boolean {
  return (
    (request.method === 'GET' || request.method === 'HEAD') &&
    (request.headers.accept ?? '').includes('text/html')
  );
}

function sendPage(response: http.ServerResponse, status: number, html: string): void {
  response.writeHead(status, {
    ...securityHeaders,
    'Content-Type': 'text/html; charset=utf-8',
    'Content-Length': Buffer.byteLength(html),
    'Cache-Control': 'no-store',
  });
  response.end(html);
}

function sendJson(
  response: http.ServerResponse,
  status: number,
  body: unknown,
  headers: http.OutgoingHttpHeaders = {},
): void {
  const text = JSON.stringify(body);
  response.writeHead(status, {
    ...securityHeaders,
    ...headers,
    'Content-Type': 'application/json; charset=utf-8',
    'Content-Length': Buffer.byteLength(text),
    'Cache-Control': 'no-store',
  });
  response.end(text);
}

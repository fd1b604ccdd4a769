import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { contentSecurityPolicy } from '../../src-shared/content-security-policy';
import { errorCodes, type ErrorCode } from '../../src-shared/errors';
import { limits } from '../../src-shared/limits';
import { testCoreOptions } from '../test-support/core';
import { createCore, type Core } from '../core/create-core';
import { sessionCookieName } from '../core/http/guard';
import { createLogger, type Logger } from '../core/log';
import type { RpcServer } from '../core/rpc/rpc-server';
import { rawHead, rawRequest } from '../test-support/http-request';
import { startWebServer, type WebServer } from './web-server';

const token = 'test-token-0123456789';
let core: Core;
let server: WebServer;
let rendererDir: string;
let auth: Record<string, string>;

beforeAll(async () => {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'phidesk-web-'));
  rendererDir = path.join(root, 'renderer');
  fs.mkdirSync(path.join(rendererDir, 'assets'), { recursive: true });
  fs.writeFileSync(path.join(rendererDir, 'index.html'), '<!doctype html><title>Phidesk</title>');
  fs.writeFileSync(path.join(rendererDir, 'assets', 'app-123.js'), 'console.log(1)');
  fs.writeFileSync(path.join(root, 'secret.txt'), 'outside the renderer');
  const log = createLogger('test');
  core = createCore(testCoreOptions(path.join(root, 'data'), { appVersion: '9.9.9' }));
  server = await startWebServer({ rpc: core.rpc, rendererDir, token, port: 0, log });
  auth = { Authorization: `Bearer ${token}` };
});

afterAll(async () => {
  await server.close();
  await core.dispose();
});

const jsonHeaders = () => ({ ...auth, 'Content-Type': 'application/json' });

const open = (headers: Record<string, string>, port = server.port) =>
  new Promise<WebSocket>((resolve, reject) => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/rpc`, { headers });
    ws.once('open', () => resolve(ws));
    ws.once('unexpected-response', (_request, response) => reject(new Error(`HTTP ${response.statusCode}`)));
    ws.once('error', reject);
  });

const upgradeHead = (target: string, headers: string[] = [`Authorization: Bearer ${token}`]) => [
  `GET ${target} HTTP/1.1`,
  `Host: 127.0.0.1:${server.port}`,
  'Connection: Upgrade',
  'Upgrade: websocket',
  'Sec-WebSocket-Version: 13',
  'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
  ...headers,
];

/** The host still answers an authenticated request: it did not crash on the one before. */
async function expectHostAlive(port = server.port): Promise<void> {
  expect((await rawRequest(port, { headers: auth })).status).toBe(200);
}

/** A second host around a stand-in contract server, for failures the real core never produces on cue. */
async function startWithRpc(rpc: Partial<RpcServer>, log: Logger = createLogger('test', 'error')) {
  return startWebServer({ rpc: rpc as RpcServer, rendererDir, token, port: 0, log });
}

describe('web host guard (S5)', () => {
  it('listens on 127.0.0.1 and prints a URL with the token', () => {
    expect(server.url).toBe(`http://127.0.0.1:${server.port}/?token=${token}`);
  });

  it('401 without a token', async () => {
    expect((await rawRequest(server.port, {})).status).toBe(401);
  });

  it('401 with a wrong token, whether bearer, query or cookie', async () => {
    expect((await rawRequest(server.port, { headers: { Authorization: 'Bearer nope' } })).status).toBe(401);
    expect((await rawRequest(server.port, { path: '/?token=nope' })).status).toBe(401);
    const cookie = `${sessionCookieName(server.port)}=nope`;
    expect((await rawRequest(server.port, { headers: { Cookie: cookie } })).status).toBe(401);
  });

  it('403 for a foreign Host, even with the right token', async () => {
    for (const host of [
      'evil.example',
      `evil.example:${server.port}`,
      '127.0.0.1:1',
      `0.0.0.0:${server.port}`,
    ]) {
      expect((await rawRequest(server.port, { headers: { ...auth, Host: host } })).status).toBe(403);
    }
  });

  it('403 for a foreign Origin, even with the right token', async () => {
    for (const origin of ['https://evil.example', 'null', `http://127.0.0.1:${server.port + 1}`]) {
      expect((await rawRequest(server.port, { headers: { ...auth, Origin: origin } })).status).toBe(403);
    }
  });

  it('accepts localhost and 127.0.0.1 with their own origin', async () => {
    for (const host of [`127.0.0.1:${server.port}`, `localhost:${server.port}`]) {
      const response = await rawRequest(server.port, {
        headers: { ...auth, Host: host, Origin: `http://${host}` },
      });
      expect(response.status).toBe(200);
    }
  });

  it('trades the URL token for an HttpOnly cookie and a clean address', async () => {
    const first = await rawRequest(server.port, { path: `/?token=${token}` });
    expect(first.status).toBe(303);
    expect(first.headers.location).toBe('/');
    const cookie = first.headers['set-cookie']?.[0] ?? '';
    expect(cookie).toMatch(/HttpOnly/);
    expect(cookie).toMatch(/SameSite=Strict/);
    const second = await rawRequest(server.port, { headers: { Cookie: cookie.split(';')[0]! } });
    expect(second.status).toBe(200);
    expect(second.body).toContain('<title>Phidesk</title>');
  });
});

describe('web host HTTP contract endpoint', () => {
  it('answers POST /rpc with the outcome', async () => {
    const response = await rawRequest(server.port, {
      method: 'POST',
      path: '/rpc',
      headers: jsonHeaders(),
      body: JSON.stringify({ method: 'app.info', params: {} }),
    });
    expect(response.status).toBe(200);
    expect(JSON.parse(response.body)).toMatchObject({
      ok: true,
      result: { name: 'Phidesk', version: '9.9.9' },
    });
  });

  it("leaves missing params to the method's own schema", async () => {
    const response = await rawRequest(server.port, {
      method: 'POST',
      path: '/rpc',
      headers: jsonHeaders(),
      body: JSON.stringify({ method: 'app.info' }),
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({
      error: { code: 'invalid_input', message: expect.stringContaining('Invalid parameters for app.info') },
    });
  });

  it('400 with invalid_input for bad parameters', async () => {
    const response = await rawRequest(server.port, {
      method: 'POST',
      path: '/rpc',
      headers: jsonHeaders(),
      body: JSON.stringify({ method: 'diagnostics.ping', params: { count: 'lots' } }),
    });
    expect(response.status).toBe(400);
    expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
  });

  it('415 for a non-JSON body or content type', async () => {
    const wrongType = await rawRequest(server.port, {
      method: 'POST',
      path: '/rpc',
      headers: { ...auth, 'Content-Type': 'text/plain' },
      body: '{}',
    });
    expect(wrongType.status).toBe(415);
    const notJson = await rawRequest(server.port, {
      method: 'POST',
      path: '/rpc',
      headers: jsonHeaders(),
      body: '{nope',
    });
    expect(notJson.status).toBe(415);
  });

  it('413 for an oversized body', async () => {
    const response = await rawRequest(server.port, {
      method: 'POST',
      path: '/rpc',
      headers: jsonHeaders(),
      body: Buffer.alloc(limits.messageBytes + 1024, 0x20),
    });
    expect(response.status).toBe(413);
  });

  it('413 for an oversized chunked body, found while reading it', async () => {
    const response = await rawRequest(server.port, {
      method: 'POST',
      path: '/rpc',
      headers: jsonHeaders(),
      body: Buffer.alloc(limits.messageBytes * 2, 0x20),
      chunked: true,
    });
    expect(response.status).toBe(413);
  });
});

describe('web host static files', () => {
  it('serves assets as immutable and falls back to index.html for routes', async () => {
    const asset = await rawRequest(server.port, { path: '/assets/app-123.js', headers: auth });
    expect(asset.status).toBe(200);
    expect(asset.headers['content-type']).toMatch(/javascript/);
    expect(asset.headers['cache-control']).toMatch(/immutable/);
    expect((await rawRequest(server.port, { path: '/some/route', headers: auth })).body).toContain('<title>');
    expect((await rawRequest(server.port, { path: '/missing.js', headers: auth })).status).toBe(404);
  });

  it('never serves files outside the renderer folder', async () => {
    for (const attempt of ['/../secret.txt', '/%2e%2e/secret.txt', '/assets/..%2f..%2fsecret.txt', '/%00']) {
      const response = await rawRequest(server.port, { path: attempt, headers: auth });
      expect(response.body).not.toContain('outside the renderer');
    }
  });
});

describe('web host WebSocket', () => {
  it('refuses an upgrade without the token, or from a foreign Origin', async () => {
    await expect(open({})).rejects.toThrow('HTTP 401');
    await expect(open({ ...auth, Origin: 'https://evil.example' })).rejects.toThrow('HTTP 403');
  });

  it('carries requests and events', async () => {
    const ws = await open(auth);
    const messages: unknown[] = [];
    ws.on('message', (data: Buffer) => messages.push(JSON.parse(data.toString())));
    ws.send(
      JSON.stringify({
        type: 'request',
        id: 1,
        method: 'diagnostics.ping',
        params: { count: 3, intervalMs: 0 },
      }),
    );
    await expect.poll(() => messages.length).toBeGreaterThanOrEqual(4);
    expect(messages[0]).toMatchObject({ type: 'response', id: 1, ok: true, result: { count: 3 } });
    const pings = messages.filter((m) => (m as { name?: string }).name === 'diagnostics.ping');
    expect(pings.map((m) => (m as { payload: { seq: number } }).payload.seq)).toEqual([1, 2, 3]);
    ws.close();
  });

  it('answers non-JSON text with invalid_input and stays open', async () => {
    const ws = await open(auth);
    const reply = new Promise<unknown>((resolve) =>
      ws.once('message', (data: Buffer) => resolve(JSON.parse(data.toString()))),
    );
    ws.send('not json');
    expect(await reply).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    expect(ws.readyState).toBe(WebSocket.OPEN);
    ws.close();
  });

  it('closes the socket on a message over the size limit (1009)', async () => {
    const ws = await open(auth);
    const closed = new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));
    ws.send('x'.repeat(limits.messageBytes + 1));
    expect(await closed).toBe(1009);
  });
});

describe('web host: malformed or duplicated cookies (S6)', () => {
  const cookieName = () => sessionCookieName(server.port);

  it('a session cookie with bad %-encoding is a 401 over HTTP and the WebSocket, and the host stays up', async () => {
    const cookie = `${cookieName()}=%E0%A4%A`;
    expect((await rawRequest(server.port, { headers: { Cookie: cookie } })).status).toBe(401);
    await expect(open({ Cookie: cookie })).rejects.toThrow('HTTP 401');
    await expectHostAlive();
  });

  it('a valid session cookie among same-name ones still works, over HTTP and the WebSocket', async () => {
    const cookie = `${cookieName()}=%E0%A4%A; ${cookieName()}=wrong; ${cookieName()}=${token}`;
    expect((await rawRequest(server.port, { headers: { Cookie: cookie } })).status).toBe(200);
    const ws = await open({ Cookie: cookie });
    ws.close();
  });
});

describe('web host: malformed requests get a 4xx, never a 500 or a crash', () => {
  it('an upgrade to a request target like // or //evil.example/x is refused, and the host keeps serving', async () => {
    expect(await rawHead(server.port, upgradeHead('//'))).toBe(404);
    expect(await rawHead(server.port, upgradeHead('//evil.example/rpc'))).toBe(404);
    expect(await rawHead(server.port, upgradeHead('http://evil.example/rpc'))).toBe(400);
    expect(await rawHead(server.port, upgradeHead('//', []))).toBe(401);
    await expectHostAlive();
  });

  it('an upgrade that fails inside the host closes that socket, and the host keeps serving', async () => {
    const errors: string[] = [];
    const log = { ...createLogger('test', 'error'), error: (message: string) => void errors.push(message) };
    const failing = await startWithRpc(
      {
        connect: () => {
          throw new Error('connect failed');
        },
      },
      log,
    );
    try {
      const ws = new WebSocket(`ws://127.0.0.1:${failing.port}/rpc`, { headers: auth });
      ws.on('error', () => undefined);
      await new Promise((resolve) => ws.once('close', resolve));
      expect(errors).toEqual(['WebSocket upgrade failed']);
      await expectHostAlive(failing.port);
    } finally {
      await failing.close();
    }
  });

  it('bad %-encoding in the path is a 404', async () => {
    for (const path of ['/%E0%A4%A', '/%', '/assets/%zz.js', '/rpc%']) {
      expect((await rawRequest(server.port, { path, headers: auth })).status).toBe(404);
    }
  });

  it('absurd query strings are answered, never with a 500', async () => {
    const valid = await rawRequest(server.port, { path: '/?%%%&&==&=&a=%E0%A4%A', headers: auth });
    expect(valid.status).toBe(200);
    for (const query of [
      'token=%E0%A4%A',
      'token',
      'token=',
      `token=${'x'.repeat(8000)}`,
      'token=a&token=b',
    ]) {
      expect((await rawRequest(server.port, { path: `/?${query}` })).status).toBe(401);
    }
  });

  it('request targets that are not paths (absolute form, *) are a 400', async () => {
    const head = (line: string) => [line, `Host: 127.0.0.1:${server.port}`, `Authorization: Bearer ${token}`];
    expect(await rawHead(server.port, head(`GET http://127.0.0.1:${server.port}/ HTTP/1.1`))).toBe(400);
    expect(await rawHead(server.port, head('OPTIONS * HTTP/1.1'))).toBe(400);
    expect(await rawHead(server.port, head('GET // HTTP/1.1'))).toBe(200);
  });

  it('a /rpc POST whose body is JSON but not a {method, params} object is a 400 invalid_input', async () => {
    for (const body of [
      '[]',
      '"app.info"',
      'null',
      '42',
      '{"method": 5}',
      '{"method": "app.info", "x": 1}',
    ]) {
      const response = await rawRequest(server.port, {
        method: 'POST',
        path: '/rpc',
        headers: jsonHeaders(),
        body,
      });
      expect(response.status).toBe(400);
      expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { code: 'invalid_input' } });
    }
    const deep = `{"method": "app.info", "params": ${'['.repeat(100_000)}${']'.repeat(100_000)}}`;
    const nested = await rawRequest(server.port, {
      method: 'POST',
      path: '/rpc',
      headers: jsonHeaders(),
      body: deep,
    });
    expect(nested.status).toBe(400);
  });

  it('methods other than GET, HEAD and POST are a 405 that says what is allowed', async () => {
    for (const method of ['PUT', 'DELETE', 'PATCH', 'OPTIONS']) {
      const page = await rawRequest(server.port, { method, path: '/', headers: auth });
      expect(page.status).toBe(405);
      expect(page.headers.allow).toBe('GET, HEAD');
      const rpc = await rawRequest(server.port, { method, path: '/rpc', headers: auth });
      expect(rpc.status).toBe(405);
      expect(rpc.headers.allow).toBe('POST');
    }
  });
});

describe('web host: contract errors over POST /rpc', () => {
  it('maps every contract error code to an HTTP error status; only internal is a 500', async () => {
    const failing = await startWithRpc({
      handle: (method: string) =>
        Promise.resolve({ ok: false, error: { code: method as ErrorCode, message: method } }),
    });
    try {
      const statuses = new Map<ErrorCode, number>();
      for (const code of errorCodes) {
        const response = await rawRequest(failing.port, {
          method: 'POST',
          path: '/rpc',
          headers: jsonHeaders(),
          body: JSON.stringify({ method: code, params: {} }),
        });
        expect(JSON.parse(response.body)).toMatchObject({ ok: false, error: { code } });
        statuses.set(code, response.status);
      }
      for (const [code, status] of statuses) {
        expect(status, code).toBeGreaterThanOrEqual(400);
        if (code === 'internal') expect(status).toBe(500);
        else expect(status, code).not.toBe(500);
      }
      expect(statuses.get('model_not_loaded')).toBe(409);
      expect(statuses.get('too_long')).toBe(422);
    } finally {
      await failing.close();
    }
  });
});

describe('web host: the token redirect', () => {
  it('never produces a protocol-relative Location', async () => {
    for (const path of ['/.//evil.com', '//evil.com', '/\\evil.com', '/./\\/evil.com/x', '/%2e//evil.com']) {
      const response = await rawRequest(server.port, { path: `${path}?token=${token}` });
      expect(response.status, path).toBe(303);
      expect(response.headers.location, path).toMatch(/^\/[^/\\]/);
    }
    const withQuery = await rawRequest(server.port, { path: `/.//evil.com?a=1&token=${token}` });
    expect(withQuery.headers.location).toBe('/evil.com?a=1');
  });
});

describe('web host: Content-Security-Policy', () => {
  it('sends the shared policy as a header on HTML and every other response', async () => {
    const page = await rawRequest(server.port, { headers: auth });
    expect(page.headers['content-type']).toMatch(/text\/html/);
    expect(page.headers['content-security-policy']).toBe(contentSecurityPolicy);
    const refusal = await rawRequest(server.port, {});
    expect(refusal.headers['content-security-policy']).toBe(contentSecurityPolicy);
  });
});

describe('a browser without a valid session', () => {
  it('gets a page that says to open the printed address, not JSON (C5)', async () => {
    const page = await rawRequest(server.port, { headers: { Accept: 'text/html,application/xhtml+xml' } });
    expect(page.status).toBe(401);
    expect(page.headers['content-type']).toMatch(/^text\/html/);
    expect(page.body).toContain('Open Phidesk from the address it printed');
    expect(page.headers['content-security-policy']).toBe(contentSecurityPolicy);
    const script = await rawRequest(server.port, { headers: { Accept: 'application/json' } });
    expect(script.status).toBe(401);
    expect(script.headers['content-type']).toMatch(/^application\/json/);
  });
});

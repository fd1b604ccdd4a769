import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { limits } from '../../src-shared/limits';
import { testCoreOptions } from '../test-support/core';
import { createCore, type Core } from '../core/create-core';
import { sessionCookieName } from '../core/http/guard';
import { createLogger } from '../core/log';
import { rawRequest } from '../test-support/http-request';
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
  const open = (headers: Record<string, string>) =>
    new Promise<WebSocket>((resolve, reject) => {
      const ws = new WebSocket(`ws://127.0.0.1:${server.port}/rpc`, { headers });
      ws.once('open', () => resolve(ws));
      ws.once('unexpected-response', (_request, response) =>
        reject(new Error(`HTTP ${response.statusCode}`)),
      );
      ws.once('error', reject);
    });

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

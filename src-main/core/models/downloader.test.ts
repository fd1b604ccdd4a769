import fs from 'node:fs';
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { EnvHttpProxyAgent } from 'undici';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureTestModel } from '../../../scripts/test-model/ensure-test-model';
import type { DownloadState } from '../../../src-shared/types';
import { tempDir } from '../../test-support/engine';
import { startModelServer, type ModelServer } from '../../test-support/model-server';
import { EventBus } from '../event-bus';
import { createLogger } from '../log';
import { Downloader, type DownloaderOptions, type DownloadRequest } from './downloader';

// A model of about 2 MB: large enough to arrive in many chunks.
const model = ensureTestModel({ embedding: 128, layers: 6, feedForward: 512 });
const fileName = 'phi-2.Q4_K_M.gguf';
let server: ModelServer;

beforeAll(async () => (server = await startModelServer({ [fileName]: model })));
afterAll(() => server.close());
beforeEach(() => {
  server.faults = {};
  server.requests.length = 0;
});

function setup(options: Partial<DownloaderOptions> = {}) {
  const modelsDir = tempDir('phidesk-downloads-');
  const bus = new EventBus();
  const states: DownloadState[][] = [];
  bus.subscribe((name, payload) => name === 'downloads.changed' && states.push(payload as DownloadState[]));
  const completed: { file: string; sha256: string }[] = [];
  let token: string | null = null;
  const downloader = new Downloader({
    modelsDir,
    bus,
    log: createLogger('test', 'error'),
    onComplete: (file, sha256) => {
      completed.push({ file, sha256 });
      return Promise.resolve();
    },
    token: () => token,
    retryDelaysMs: [10, 10, 10],
    ...options,
  });
  const ended = (id = 'phi') =>
    new Promise<DownloadState>((resolve) => {
      const check = () => {
        const state = downloader.list().find((s) => s.id === id);
        if (state && ['complete', 'failed', 'paused'].includes(state.status)) resolve(state);
        else setTimeout(check, 5);
      };
      check();
    });
  return {
    downloader,
    modelsDir,
    states,
    completed,
    ended,
    setToken: (value: string | null) => (token = value),
    bus,
  };
}

const request = (overrides: Partial<DownloadRequest> = {}): DownloadRequest => ({
  id: 'phi',
  name: 'Phi-2 Q4_K_M',
  url: `${server.endpoint}/${server.repository}/resolve/main/${fileName}`,
  fileName,
  size: fs.statSync(model).size,
  sha256: server.sha256[fileName]!,
  ...overrides,
});

const filesIn = (dir: string) => fs.readdirSync(dir).sort();
/** Byte comparison without a deep-equality diff of megabytes. */
const sameFile = (a: string, b: string) => fs.readFileSync(a).equals(fs.readFileSync(b));

describe('Downloader', () => {
  it('downloads through the redirect, verifies, renames and registers, with progress', async () => {
    const t = setup();
    t.downloader.start(request());
    const state = await t.ended();
    expect(state).toMatchObject({ status: 'complete', receivedBytes: fs.statSync(model).size, error: null });
    expect(filesIn(t.modelsDir)).toEqual([fileName]);
    expect(sameFile(path.join(t.modelsDir, fileName), model)).toBe(true);
    expect(t.completed).toEqual([
      { file: path.join(t.modelsDir, fileName), sha256: server.sha256[fileName] },
    ]);
    const statuses = new Set(t.states.flat().map((s) => s.status));
    expect([...statuses]).toEqual(
      expect.arrayContaining(['starting', 'downloading', 'verifying', 'complete']),
    );
  });

  it('reads the size and checksum from the Hugging Face API when not known in advance', async () => {
    const t = setup();
    t.downloader.start(
      request({
        size: null,
        sha256: null,
        lookup: { url: `${server.endpoint}/api/models/${server.repository}/tree/main`, path: fileName },
      }),
    );
    expect((await t.ended()).status).toBe('complete');
    expect(server.requests[0]!.path).toBe(`/api/models/${server.repository}/tree/main`);
  });

  it('resumes with a Range request after the connection drops (M6)', async () => {
    const t = setup();
    server.faults.dropAfterBytes = 700_000;
    t.downloader.start(request());
    expect((await t.ended()).status).toBe('complete');
    const ranges = server.requests.filter((r) => r.path.startsWith('/cdn/')).map((r) => r.range);
    expect(ranges[0]).toBeNull();
    expect(ranges[1]).toMatch(/^bytes=\d+-$/);
    expect(Number(/\d+/.exec(ranges[1]!)![0])).toBeGreaterThan(0);
    expect(sameFile(path.join(t.modelsDir, fileName), model)).toBe(true);
  });

  it('survives a restart: only the .part file is left, and the next run resumes it (M6)', async () => {
    const first = setup();
    server.faults.dropAfterBytes = 900_000;
    const downloader = new Downloader({
      modelsDir: first.modelsDir,
      bus: new EventBus(),
      log: createLogger('test', 'error'),
      onComplete: () => Promise.resolve(),
      token: () => null,
      retryDelaysMs: [60_000],
    });
    downloader.start(request());
    // The connection drops after 900 KB; the downloader then waits a minute before retrying: quit then.
    await expect.poll(() => server.requests.filter((r) => r.path.startsWith('/cdn/')).length).toBe(1);
    await new Promise((resolve) => setTimeout(resolve, 300));
    downloader.dispose();
    await new Promise((resolve) => setTimeout(resolve, 50));
    expect(filesIn(first.modelsDir)).toEqual([`${fileName}.download.json`, `${fileName}.part`]);
    const partial = fs.statSync(path.join(first.modelsDir, `${fileName}.part`)).size;
    expect(partial).toBeGreaterThan(0);

    const second = setup({ modelsDir: first.modelsDir });
    second.downloader.restore();
    expect(second.downloader.list()).toEqual([
      expect.objectContaining({ id: 'phi', status: 'paused', receivedBytes: partial }),
    ]);
    server.requests.length = 0;
    second.downloader.resume('phi');
    expect((await second.ended()).status).toBe('complete');
    expect(server.requests.find((r) => r.path.startsWith('/cdn/'))!.range).toBe(`bytes=${partial}-`);
    expect(filesIn(first.modelsDir)).toEqual([fileName]);
  });

  it('never renames a file whose checksum does not match, and lets it be retried (M5)', async () => {
    const t = setup();
    server.faults.corruptByteAt = 12_345;
    t.downloader.start(request());
    const state = await t.ended();
    expect(state.status).toBe('failed');
    expect(state.error).toMatch(/SHA-256 does not match/);
    expect(fs.existsSync(path.join(t.modelsDir, fileName))).toBe(false);
    expect(fs.existsSync(path.join(t.modelsDir, `${fileName}.part`))).toBe(false);
    expect(t.completed).toEqual([]);

    server.faults = {};
    t.downloader.resume('phi');
    expect((await t.ended()).status).toBe('complete');
  });

  it('does not finish when the server sends less than it promised', async () => {
    const t = setup();
    server.faults.truncateTo = 1_000_000;
    t.downloader.start(request());
    const state = await t.ended();
    expect(state.status).toBe('paused');
    expect(state.error).toMatch(/connection was lost/);
    expect(fs.existsSync(path.join(t.modelsDir, fileName))).toBe(false);
    expect(state.receivedBytes).toBeGreaterThan(0);
    expect(state.receivedBytes).toBeLessThanOrEqual(1_000_000);
  });

  it('stops when the server sends more than the file should hold', async () => {
    const t = setup();
    server.faults.extraBytes = 4096;
    t.downloader.start(request());
    const state = await t.ended();
    expect(state).toMatchObject({ status: 'failed', error: expect.stringMatching(/more data than/) });
    expect(fs.existsSync(path.join(t.modelsDir, fileName))).toBe(false);
  });

  it('refuses to start without enough disk space, saying how much is needed (M7)', async () => {
    const t = setup({ freeSpace: () => Promise.resolve(1024 * 1024) });
    t.downloader.start(request());
    const state = await t.ended();
    expect(state).toMatchObject({
      status: 'failed',
      error: expect.stringMatching(/needs \d+ MB and 1 MB is free/),
    });
    expect(server.requests.filter((r) => r.path.startsWith('/cdn/'))).toEqual([]);
  });

  it('sends the Hugging Face token for gated files, and explains a refusal without one', async () => {
    const t = setup();
    server.faults.requireToken = 'hf_secret';
    t.downloader.start(request());
    expect(await t.ended()).toMatchObject({ status: 'failed', error: expect.stringMatching(/token/) });
    t.setToken('hf_secret');
    t.downloader.resume('phi');
    expect((await t.ended()).status).toBe('complete');
    expect(server.requests.at(-1)!.authorization).toBe('Bearer hf_secret');
  });

  it('starts over when the server ignores the Range request', async () => {
    const t = setup();
    server.faults.dropAfterBytes = 500_000;
    server.faults.ignoreRange = true;
    t.downloader.start(request());
    expect((await t.ended()).status).toBe('complete');
    expect(sameFile(path.join(t.modelsDir, fileName), model)).toBe(true);
  });

  it('pauses, resumes and cancels, removing the partial file on cancel', async () => {
    const t = setup();
    server.faults.dropAfterBytes = 600_000;
    const slow = setup({ modelsDir: t.modelsDir, retryDelaysMs: [60_000] });
    slow.downloader.start(request());
    await new Promise<void>((resolve) => {
      const check = () =>
        (slow.downloader.list()[0]?.receivedBytes ?? 0) > 0 ? resolve() : setTimeout(check, 5);
      check();
    });
    slow.downloader.pause('phi');
    expect((await slow.ended()).status).toBe('paused');
    expect(fs.existsSync(path.join(t.modelsDir, `${fileName}.part`))).toBe(true);
    slow.downloader.cancel('phi');
    expect(slow.downloader.list()).toEqual([]);
    expect(filesIn(t.modelsDir)).toEqual([]);
  });

  it('goes through the proxy named by HTTP_PROXY', async () => {
    // A tunnelling proxy, as corporate proxies are: CONNECT, then bytes both ways.
    let tunnels = 0;
    const proxy = http.createServer((_request, response) => response.writeHead(405).end());
    proxy.on('connect', (incoming: http.IncomingMessage, client: net.Socket, head: Buffer) => {
      tunnels += 1;
      const [host, port] = incoming.url!.split(':');
      const upstream = net.connect(Number(port), host, () => {
        client.write('HTTP/1.1 200 Connection Established\r\n\r\n');
        upstream.write(head);
        upstream.pipe(client);
        client.pipe(upstream);
      });
      upstream.on('error', () => client.destroy());
      client.on('error', () => upstream.destroy());
    });
    await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
    const saved = { ...process.env };
    process.env.HTTP_PROXY = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
    delete process.env.NO_PROXY;
    delete process.env.no_proxy;
    try {
      const t = setup({ dispatcher: new EnvHttpProxyAgent() });
      t.downloader.start(request());
      expect((await t.ended()).status).toBe('complete');
      expect(tunnels).toBeGreaterThanOrEqual(1);
    } finally {
      process.env = saved;
      proxy.closeAllConnections();
      proxy.close();
    }
  });
});

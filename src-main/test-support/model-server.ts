/**
 * A stand-in for Hugging Face on 127.0.0.1: the tree API (sizes and SHA-256 as LFS oids) and `resolve`
 * downloads that redirect to a "CDN" path serving the file with Range support — and faults on demand: a
 * dropped connection, a corrupted byte, a length that lies, a required token.
 */
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Faults {
  /** Close the connection after sending this many bytes of the next file response (once). */
  dropAfterBytes?: number | undefined;
  /** Flip this byte of the file in every response. */
  corruptByteAt?: number | undefined;
  /** Serve only this many bytes of the file, while the API and headers promise the whole. */
  truncateTo?: number | undefined;
  /** Append this many extra bytes beyond the promised size. */
  extraBytes?: number | undefined;
  /** Refuse downloads (401) without `Authorization: Bearer <token>`. */
  requireToken?: string | undefined;
  /** Send the whole file (200) even when a Range is asked for. */
  ignoreRange?: boolean | undefined;
  /** Pace file responses, so progress can be watched. */
  bytesPerSecond?: number | undefined;
}

export interface ServedRequest {
  path: string;
  range: string | null;
  authorization: string | null;
}

export interface ModelServer {
  endpoint: string;
  repository: string;
  faults: Faults;
  requests: ServedRequest[];
  sha256: Record<string, string>;
  close(): Promise<void>;
}

export async function startModelServer(
  files: Record<string, string>,
  repository = 'TheBloke/phi-2-GGUF',
): Promise<ModelServer> {
  const contents = Object.fromEntries(
    Object.entries(files).map(([name, file]) => [name, fs.readFileSync(file)]),
  );
  const sha256 = Object.fromEntries(
    Object.entries(contents).map(([name, data]) => [name, createHash('sha256').update(data).digest('hex')]),
  );
  const state: ModelServer = {
    endpoint: '',
    repository,
    faults: {},
    requests: [],
    sha256,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };

  const server = http.createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://x');
    state.requests.push({
      path: url.pathname,
      range: request.headers.range ?? null,
      authorization: request.headers.authorization ?? null,
    });
    if (url.pathname === `/api/models/${repository}/tree/main`) {
      const listing = Object.entries(contents).map(([name, data]) => ({
        type: 'file',
        oid: 'git-oid',
        size: data.length,
        path: name,
        lfs: { oid: sha256[name], size: data.length, pointerSize: 134 },
      }));
      response.writeHead(200, { 'Content-Type': 'application/json' }).end(JSON.stringify(listing));
      return;
    }
    const resolve = url.pathname.match(new RegExp(`^/${repository}/resolve/main/(.+)$`));
    if (resolve) {
      // As Hugging Face does: the file itself comes from elsewhere.
      response.writeHead(302, { Location: `/cdn/${resolve[1]}?signature=abc` }).end();
      return;
    }
    const cdn = url.pathname.match(/^\/cdn\/(.+)$/);
    const name = cdn ? decodeURIComponent(cdn[1]!) : null;
    const data = name ? contents[name] : undefined;
    if (!data) {
      response.writeHead(404).end();
      return;
    }
    const { faults } = state;
    if (faults.requireToken && request.headers.authorization !== `Bearer ${faults.requireToken}`) {
      response.writeHead(401).end('unauthorized');
      return;
    }
    let body = Buffer.from(data);
    if (faults.corruptByteAt !== undefined) body[faults.corruptByteAt] = body[faults.corruptByteAt]! ^ 0xff;
    if (faults.extraBytes) body = Buffer.concat([body, Buffer.alloc(faults.extraBytes, 7)]);
    const promised = body.length;
    if (faults.truncateTo !== undefined) body = body.subarray(0, faults.truncateTo);

    const range = /^bytes=(\d+)-$/.exec(request.headers.range ?? '');
    let start = 0;
    if (range && !faults.ignoreRange) {
      start = Number(range[1]);
      if (start >= promised) {
        response.writeHead(416, { 'Content-Range': `bytes */${promised}` }).end();
        return;
      }
      response.writeHead(206, {
        'Content-Length': promised - start,
        'Content-Range': `bytes ${start}-${promised - 1}/${promised}`,
        'Accept-Ranges': 'bytes',
      });
    } else {
      response.writeHead(200, { 'Content-Length': promised, 'Accept-Ranges': 'bytes' });
    }
    let slice = body.subarray(start);
    let drop = false;
    if (faults.dropAfterBytes !== undefined && faults.dropAfterBytes < slice.length) {
      slice = slice.subarray(0, faults.dropAfterBytes);
      faults.dropAfterBytes = undefined;
      drop = true;
    }
    if (faults.bytesPerSecond) {
      void paced(response, slice, faults.bytesPerSecond, drop || slice.length < promised - start);
      return;
    }
    if (drop) {
      response.write(slice, () => response.socket?.destroy());
      return;
    }
    if (slice.length < promised - start) {
      // The length lied: send what there is, then hang up.
      response.write(slice, () => response.socket?.destroy());
      return;
    }
    response.end(slice);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  state.endpoint = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return state;
}

/** Writes in small pieces at a steady rate, then ends or hangs up. */
async function paced(
  response: http.ServerResponse,
  data: Buffer,
  bytesPerSecond: number,
  hangUp: boolean,
): Promise<void> {
  const piece = 16 * 1024;
  for (let offset = 0; offset < data.length && !response.destroyed; offset += piece) {
    response.write(data.subarray(offset, offset + piece));
    await new Promise((resolve) => setTimeout(resolve, (piece / bytesPerSecond) * 1000));
  }
  if (hangUp) response.socket?.destroy();
  else response.end();
}

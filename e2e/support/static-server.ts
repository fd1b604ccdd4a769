import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { readStaticFile } from '../../src-main/web/static-files';

/** Serves a built folder on 127.0.0.1 (the harness), with the web host's own file resolution. */
export async function serveFolder(folder: string): Promise<{ url: string; close(): Promise<void> }> {
  const server = http.createServer((request, response) => {
    void readStaticFile(folder, new URL(request.url ?? '/', 'http://x').pathname).then((file) => {
      if (!file) {
        response.writeHead(404).end();
        return;
      }
      response.writeHead(200, { 'Content-Type': file.contentType }).end(file.body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

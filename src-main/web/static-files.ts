import fs from 'node:fs/promises';
import path from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.woff': 'font/woff',
  '.ttf': 'font/ttf',
};

export interface StaticFile {
  body: Buffer;
  contentType: string;
  /** Hashed build assets never change; everything else is revalidated. */
  immutable: boolean;
}

/**
 * Resolves a URL path to a file of the built renderer. Paths that escape the folder are refused; unknown
 * paths without an extension fall back to index.html (client-side routes).
 */
export async function readStaticFile(rootDir: string, urlPath: string): Promise<StaticFile | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  const root = path.resolve(rootDir);
  const wanted = path.resolve(root, `.${path.posix.normalize(`/${decoded}`)}`);
  if (wanted !== root && !wanted.startsWith(root + path.sep)) return null;

  const file = (await isFile(wanted)) ? wanted : path.extname(wanted) ? null : path.join(root, 'index.html');
  if (!file) return null;
  return {
    body: await fs.readFile(file),
    contentType: contentTypes[path.extname(file)] ?? 'application/octet-stream',
    // Judged inside the renderer folder: the folder itself may sit under a directory named "assets".
    immutable: path.relative(root, file).startsWith(`assets${path.sep}`),
  };
}

async function isFile(file: string): Promise<boolean> {
  try {
    return (await fs.stat(file)).isFile();
  } catch {
    return false;
  }
}

/**
 * The port browser mode last listened on, kept in the data folder: a restarted host comes back at the same
 * address, so an open page reconnects by itself (TEST-CATALOG C5) and a bookmark keeps working.
 */
import fs from 'node:fs';
import path from 'node:path';
import { z } from 'zod';

const fileName = 'browser-host.json';
const saved = z.strictObject({ port: z.int().min(1024).max(65535) });

export function rememberedPort(dataDir: string): number | null {
  try {
    const parsed = saved.safeParse(JSON.parse(fs.readFileSync(path.join(dataDir, fileName), 'utf8')));
    return parsed.success ? parsed.data.port : null;
  } catch {
    return null;
  }
}

export function rememberPort(dataDir: string, port: number): void {
  const file = path.join(dataDir, fileName);
  const partial = `${file}.${process.pid}.part`;
  fs.writeFileSync(partial, JSON.stringify({ port }));
  fs.renameSync(partial, file);
}

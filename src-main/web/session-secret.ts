/**
 * Browser mode's session secret, kept in the data folder so that a restarted host accepts the page it
 * served before (TEST-CATALOG C5): the cookie the page holds stays valid, and its WebSocket reconnects by
 * itself. The file is readable by the user alone; a file others could read, or one that does not hold a
 * secret, is replaced. `serve --new-token` replaces it on purpose (every open page must then use the newly
 * printed address).
 */
import { randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

export const sessionSecretFileName = 'browser-session.secret';
const secretPattern = /^[A-Za-z0-9_-]{32,128}$/;

export function loadSessionSecret(dataDir: string, options: { rotate?: boolean } = {}): string {
  const file = path.join(dataDir, sessionSecretFileName);
  if (!options.rotate) {
    const kept = readPrivateSecret(file);
    if (kept) return kept;
  }
  const secret = randomBytes(24).toString('base64url');
  const partial = `${file}.${process.pid}.part`;
  fs.writeFileSync(partial, secret, { mode: 0o600 });
  fs.renameSync(partial, file);
  return secret;
}

/** The secret in `file`, if the file is a regular file only its owner can read and holds one. */
function readPrivateSecret(file: string): string | null {
  let stat: fs.Stats;
  try {
    stat = fs.lstatSync(file);
  } catch {
    return null;
  }
  // On Windows the mode bits say nothing about who can read; the data folder is the user's own there.
  const private_ = process.platform === 'win32' || (stat.mode & 0o077) === 0;
  if (!stat.isFile() || !private_) return null;
  const secret = fs.readFileSync(file, 'utf8').trim();
  return secretPattern.test(secret) ? secret : null;
}

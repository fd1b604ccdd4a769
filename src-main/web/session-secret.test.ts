import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { tempDir } from '../test-support/engine';
import { loadSessionSecret, sessionSecretFileName } from './session-secret';

describe('the browser-mode session secret (C5)', () => {
  it('is the same after a restart, in a file only the user can read', () => {
    const dir = tempDir('phidesk-secret-');
    const first = loadSessionSecret(dir);
    expect(loadSessionSecret(dir)).toBe(first);
    if (process.platform !== 'win32') {
      expect(fs.statSync(path.join(dir, sessionSecretFileName)).mode & 0o777).toBe(0o600);
    }
  });

  it('is replaced when asked, when others could read it, or when the file holds no secret', () => {
    const dir = tempDir('phidesk-secret-');
    const file = path.join(dir, sessionSecretFileName);
    const first = loadSessionSecret(dir);
    const rotated = loadSessionSecret(dir, { rotate: true });
    expect(rotated).not.toBe(first);
    if (process.platform !== 'win32') {
      fs.chmodSync(file, 0o644);
      expect(loadSessionSecret(dir)).not.toBe(rotated);
    }
    fs.writeFileSync(file, 'short', { mode: 0o600 });
    expect(loadSessionSecret(dir)).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('never follows a link in place of the file', () => {
    const dir = tempDir('phidesk-secret-');
    const elsewhere = path.join(tempDir('phidesk-elsewhere-'), 'secret');
    fs.writeFileSync(elsewhere, 'a'.repeat(40), { mode: 0o600 });
    fs.symlinkSync(elsewhere, path.join(dir, sessionSecretFileName));
    expect(loadSessionSecret(dir)).not.toBe('a'.repeat(40));
    expect(fs.readFileSync(elsewhere, 'utf8')).toBe('a'.repeat(40));
  });
});

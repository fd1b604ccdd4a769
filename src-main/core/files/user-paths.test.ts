import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError } from '../../../src-shared/errors';
import { resolveUserPath } from './user-paths';

const root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'phidesk-user-paths-')));
const outside = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'phidesk-user-paths-out-')));
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(outside, { recursive: true, force: true });
});
const existing = { roots: [root], mode: 'existing' } as const;

function refusal(given: string): AppError {
  try {
    resolveUserPath(given, existing);
  } catch (error) {
    if (error instanceof AppError) return error;
    throw error;
  }
  throw new Error(`${given} was accepted`);
}

describe('resolveUserPath in `existing` mode (a file or a folder to import from)', () => {
  it('accepts a folder and a file inside the roots, through links', () => {
    const folder = path.join(root, 'Notes');
    fs.mkdirSync(folder);
    fs.writeFileSync(path.join(folder, 'a.md'), 'a');
    fs.symlinkSync(folder, path.join(root, 'link-to-notes'));
    expect(resolveUserPath(folder, existing)).toBe(folder);
    expect(resolveUserPath(`${folder}/`, existing)).toBe(folder);
    expect(resolveUserPath(path.join(folder, 'a.md'), existing)).toBe(path.join(folder, 'a.md'));
    expect(resolveUserPath(path.join(root, 'link-to-notes', 'a.md'), existing)).toBe(
      path.join(folder, 'a.md'),
    );
  });

  it('refuses what is missing, outside the roots, or reached through a link out of them', () => {
    fs.symlinkSync(outside, path.join(root, 'link-out'));
    expect(refusal(path.join(root, 'missing'))).toMatchObject({
      code: 'not_found',
      message: `Nothing at ${path.join(root, 'missing')}.`,
    });
    expect(refusal(outside)).toMatchObject({
      code: 'invalid_input',
      message: `${outside} is outside the folders Phidesk may use.`,
    });
    expect(refusal(path.join(root, 'link-out'))).toMatchObject({ code: 'invalid_input' });
    expect(refusal(`${root}/../${path.basename(outside)}`)).toMatchObject({ code: 'invalid_input' });
  });
});

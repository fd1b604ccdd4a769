import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tempDir } from '../../../test-support/engine';
import { writeFile } from '../../../test-support/note-files';
import { collectImportFiles, joinFolder } from './collect-files';

// Real paths: the temporary folder may itself be behind a link (macOS /var → /private/var).
const root = fs.realpathSync(tempDir('phidesk-collect-'));
const elsewhere = fs.realpathSync(tempDir('phidesk-collect-outside-'));
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(elsewhere, { recursive: true, force: true });
});
const rules = { roots: [root] };
const isRoot = process.getuid?.() === 0;

/** A fresh folder under the allowed root, with these files in it. */
function tree(name: string, files: Record<string, string>): string {
  const top = path.join(root, name);
  for (const [relative, content] of Object.entries(files)) writeFile(top, relative, content);
  return top;
}

describe('collecting the files to import', () => {
  it('walks nested folders, keeping each file’s folder under the chosen folder’s name', async () => {
    const physics = tree('Physics', {
      'a.md': '# A',
      'Waves/b.markdown': 'b',
      'Waves/Sound/c.txt': 'c',
      'Waves/Sound/d.pdf': '%PDF-',
      'photo.png': 'not a note',
      '.git/HEAD.md': 'hidden folder',
      '.obsidian/x.md': 'hidden folder',
      'node_modules/pkg/README.md': 'installed code',
      '.hidden.md': 'hidden file',
      'Waves/._b.md': 'macOS resource fork',
    });
    expect(await collectImportFiles([physics], rules)).toEqual({
      files: [
        { path: path.join(physics, 'Waves/Sound/c.txt'), folder: 'Physics/Waves/Sound' },
        { path: path.join(physics, 'Waves/Sound/d.pdf'), folder: 'Physics/Waves/Sound' },
        { path: path.join(physics, 'Waves/b.markdown'), folder: 'Physics/Waves' },
        { path: path.join(physics, 'a.md'), folder: 'Physics' },
      ].sort((x, y) => (x.path < y.path ? -1 : 1)),
      refused: [],
    });
  });

  it('gives a file chosen by itself no folder, and refuses one it cannot import', async () => {
    const top = tree('direct', { 'one.md': '1', 'sheet.xlsx': 'x' });
    expect(await collectImportFiles([path.join(top, 'one.md'), path.join(top, 'sheet.xlsx')], rules)).toEqual(
      {
        files: [{ path: path.join(top, 'one.md'), folder: '' }],
        refused: [
          {
            path: path.join(top, 'sheet.xlsx'),
            reason: 'Only .md, .markdown, .txt and .pdf files can be imported (this is a .xlsx file).',
          },
        ],
      },
    );
  });

  it('takes a file reached twice only once', async () => {
    const top = tree('twice', { 'n.md': 'n' });
    const file = path.join(top, 'n.md');
    const { files } = await collectImportFiles([file, top, file], rules);
    expect(files).toEqual([{ path: file, folder: '' }]);
  });

  it('refuses chosen paths outside the allowed folders, relative, missing or with NUL (S4, S8)', async () => {
    const outside = writeFile(elsewhere, 'secret.md', 's');
    const link = path.join(root, 'link-out.md');
    fs.symlinkSync(outside, link);
    const { files, refused } = await collectImportFiles(
      [outside, link, 'notes/a.md', path.join(root, 'nope'), `${root}/a\0.md`],
      rules,
    );
    expect(files).toEqual([]);
    expect(refused.map((entry) => entry.reason).sort()).toEqual(
      [
        `${outside} is outside the folders Phidesk may use.`,
        `${link} is outside the folders Phidesk may use.`,
        'Use a full path (got "notes/a.md").',
        `Nothing at ${path.join(root, 'nope')}.`,
        'A path cannot contain a NUL character.',
      ].sort(),
    );
  });

  it('follows no link out of the chosen folder, even to an allowed place (S8)', async () => {
    const top = tree('Linked', { 'inside.md': 'i' });
    const neighbour = tree('Neighbour', { 'near.md': 'n', 'sub/deep.md': 'd' });
    fs.symlinkSync(path.join(neighbour, 'near.md'), path.join(top, 'near.md'));
    fs.symlinkSync(path.join(neighbour, 'sub'), path.join(top, 'sub-link'));
    fs.symlinkSync(writeFile(elsewhere, 'far.md', 'f'), path.join(top, 'far.md'));
    // A link to another kind of file is left out without a word, wherever it leads.
    fs.symlinkSync(writeFile(elsewhere, 'far.png', 'p'), path.join(top, 'far.png'));
    const { files, refused } = await collectImportFiles([top], rules);
    expect(files).toEqual([{ path: path.join(top, 'inside.md'), folder: 'Linked' }]);
    expect(refused).toEqual([
      {
        path: path.join(top, 'far.md'),
        reason: `This link leads outside the folder (to ${path.join(elsewhere, 'far.md')}), so it was not followed.`,
      },
      {
        path: path.join(top, 'near.md'),
        reason: `This link leads outside the folder (to ${path.join(neighbour, 'near.md')}), so it was not followed.`,
      },
      {
        path: path.join(top, 'sub-link'),
        reason: `This link leads outside the folder (to ${path.join(neighbour, 'sub')}), so it was not followed.`,
      },
    ]);
  });

  it('follows links inside the folder, visiting nothing twice, so a link loop ends', async () => {
    const top = tree('Loops', { 'a/x.md': 'x', 'b/y.md': 'y' });
    fs.symlinkSync(top, path.join(top, 'a', 'back-to-top'));
    fs.symlinkSync(path.join(top, 'b'), path.join(top, 'a', 'to-b'));
    fs.symlinkSync(path.join(top, 'b', 'y.md'), path.join(top, 'y-again.md'));
    fs.symlinkSync(path.join(top, 'gone.md'), path.join(top, 'broken.md'));
    const { files, refused } = await collectImportFiles([top], rules);
    // Each file in the folder of where it really is, not of the link it was reached through.
    expect(files).toEqual([
      { path: path.join(top, 'a/x.md'), folder: 'Loops/a' },
      { path: path.join(top, 'b/y.md'), folder: 'Loops/b' },
    ]);
    expect(refused).toEqual([
      { path: path.join(top, 'broken.md'), reason: 'This link leads nowhere (its target is missing).' },
    ]);
  });

  it('names the folder by the link it was chosen through', async () => {
    const real = tree('real-name', { 'n.md': 'n' });
    const link = path.join(root, 'Chosen Name');
    fs.symlinkSync(real, link);
    expect((await collectImportFiles([`${link}/`], rules)).files).toEqual([
      { path: path.join(real, 'n.md'), folder: 'Chosen Name' },
    ]);
  });

  it('takes at most maxFiles files, in path order, and reports how many more there were', async () => {
    const top = tree('Many', { 'e.md': '', 'd.md': '', 'c/c.md': '', 'b.md': '', 'a.md': '' });
    const { files, refused } = await collectImportFiles([top], { ...rules, maxFiles: 3 });
    expect(files.map((file) => path.relative(top, file.path))).toEqual(['a.md', 'b.md', 'c/c.md']);
    expect(refused).toEqual([{ path: top, reason: '…and 2 more files: import at most 3 at a time.' }]);
  });

  it('stops walking when aborted', async () => {
    const top = tree('Aborted', { 'a.md': 'a' });
    const controller = new AbortController();
    controller.abort();
    expect(await collectImportFiles([top], { ...rules, signal: controller.signal })).toEqual({
      files: [],
      refused: [],
    });
  });

  it.skipIf(isRoot || process.platform === 'win32')(
    'refuses an unreadable folder and goes on (chmod 000; skipped as root, who reads anything)',
    async () => {
      const top = tree('Locked', { 'open/a.md': 'a', 'shut/b.md': 'b' });
      fs.chmodSync(path.join(top, 'shut'), 0o000);
      try {
        expect(await collectImportFiles([top], rules)).toEqual({
          files: [{ path: path.join(top, 'open/a.md'), folder: 'Locked/open' }],
          refused: [
            {
              path: path.join(top, 'shut'),
              reason: 'Phidesk is not allowed to open this folder (permission denied).',
            },
          ],
        });
      } finally {
        fs.chmodSync(path.join(top, 'shut'), 0o755);
      }
    },
  );
});

describe('joinFolder', () => {
  it('joins with "/", trimming names and dropping empty ones', () => {
    expect(joinFolder('', 'Physics', '')).toBe('Physics');
    expect(joinFolder('Course/', ' Physics ', 'Waves/Sound')).toBe('Course/Physics/Waves/Sound');
    expect(joinFolder('', '')).toBe('');
  });
});

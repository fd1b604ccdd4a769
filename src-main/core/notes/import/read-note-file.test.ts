import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it, vi } from 'vitest';
import { limits } from '../../../../src-shared/limits';
import { splitLines } from '../../../../src-shared/lines';
import { tempDir } from '../../../test-support/engine';
import { tinyPdf, writeFile } from '../../../test-support/note-files';
import { ImportRefusal } from './import-errors';
import { readNoteFile } from './read-note-file';

const dir = tempDir('phidesk-read-note-');
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const file = (name: string, content: string | Uint8Array) => writeFile(dir, name, content);
const isRoot = process.getuid?.() === 0;

/** The reason `readNoteFile` refuses the file with. */
async function refusal(target: string): Promise<string> {
  const error: unknown = await readNoteFile(target).then(
    () => null,
    (thrown: unknown) => thrown,
  );
  expect(error).toBeInstanceOf(ImportRefusal);
  return (error as ImportRefusal).reason;
}

describe('reading a Markdown or text file', () => {
  it('takes a Markdown title from its first heading and hashes the raw bytes', async () => {
    const bytes = Buffer.from('# Waves\n\nA wave carries energy.\n');
    const note = await readNoteFile(file('waves-notes.md', bytes));
    expect(note).toEqual({
      title: 'Waves',
      body: '# Waves\n\nA wave carries energy.\n',
      kind: 'md',
      sha256: createHash('sha256').update(bytes).digest('hex'),
      pageLines: null,
    });
  });

  it('strips a BOM and turns CRLF and CR line ends into LF, the rest byte-exact', async () => {
    const text = '\uFEFF# Énergie ⚡ 日本\r\nline two\rline three\r\n\tمرحبا\u202E\u200B';
    const note = await readNoteFile(file('crlf.md', text));
    expect(note.body).toBe('# Énergie ⚡ 日本\nline two\nline three\n\tمرحبا\u202E\u200B');
    expect(note.title).toBe('Énergie ⚡ 日本');
    expect(note.sha256).toBe(createHash('sha256').update(Buffer.from(text)).digest('hex'));
  });

  it('falls back to the file name when no level-1 heading is near the top', async () => {
    expect((await readNoteFile(file('Plain notes.md', 'Just text.\n## Not a title'))).title).toBe(
      'Plain notes',
    );
    const late = `${'line\n'.repeat(10)}# Too late`;
    expect((await readNoteFile(file('late.md', late))).title).toBe('late');
    const fenced = '```\n# a comment in code\n```\n# After code';
    expect((await readNoteFile(file('fenced.md', fenced))).title).toBe('fenced');
    expect((await readNoteFile(file('bare.md', '#\nno title text'))).title).toBe('bare');
  });

  it('finds the heading after front matter, and clips a long one', async () => {
    const front = '---\ntags: [physics]\n---\n\n# Optics  #\n';
    expect((await readNoteFile(file('front.md', front))).title).toBe('Optics');
    const long = `# ${'😀'.repeat(200)}`;
    const title = (await readNoteFile(file('long-title.md', long))).title;
    expect(title.length).toBeLessThanOrEqual(limits.noteTitleChars);
    expect(title).toBe('😀'.repeat(limits.noteTitleChars / 2));
  });

  it('reads .markdown as Markdown and .txt as text titled by its file name', async () => {
    expect(await readNoteFile(file('a.markdown', '# A\n'))).toMatchObject({ kind: 'md', title: 'A' });
    expect(await readNoteFile(file('Lab log.TXT', '# Not a title\ntext'))).toMatchObject({
      kind: 'txt',
      title: 'Lab log',
      body: '# Not a title\ntext',
    });
  });

  it('keeps text with a few stray control characters', async () => {
    const text = `${'plain words '.repeat(10)}\u0007\u001b[31mred\u001b[0m\f`;
    expect((await readNoteFile(file('bell.txt', text))).body).toBe(text);
  });
});

describe('refusing a file, with the reason (TEST-CATALOG I14)', () => {
  it('refuses an extension it cannot import', async () => {
    expect(await refusal(file('report.docx', 'x'))).toBe(
      'Only .md, .markdown, .txt and .pdf files can be imported (this is a .docx file).',
    );
    expect(await refusal(file('README', 'x'))).toBe(
      'Only .md, .markdown, .txt and .pdf files can be imported (this file has no extension).',
    );
  });

  it.skipIf(process.platform === 'win32')(
    'refuses a 50 MB file (sparse) by its size, without reading it',
    async () => {
      const big = path.join(dir, 'big.txt');
      fs.writeFileSync(big, '');
      fs.truncateSync(big, 50 * 1024 * 1024);
      const readFile = vi.spyOn(fs.promises, 'readFile');
      try {
        expect(await refusal(big)).toBe('This file is too large to import (50 MB; the limit is 20 MB).');
        expect(readFile).not.toHaveBeenCalled();
      } finally {
        readFile.mockRestore();
      }
    },
  );

  it('refuses a binary file: NUL bytes, or mostly control characters', async () => {
    const png = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0x00, 0x00, 0x00, 0x0d]);
    expect(await refusal(file('image.md', png))).toBe(
      'This looks like a binary file, not text (it contains NUL bytes).',
    );
    const controls = Buffer.from(
      Array.from({ length: 400 }, (_, i) => (i % 4 === 0 ? 0x01 + (i % 7) : 0x41)),
    );
    expect(await refusal(file('controls.txt', controls))).toBe(
      'This looks like a binary file, not text (it is full of control characters).',
    );
  });

  it('refuses broken UTF-8 (0xC3 0x28), saying on which line', async () => {
    const bytes = Buffer.concat([Buffer.from('fine\nstill fine\nbad: '), Buffer.from([0xc3, 0x28])]);
    expect(await refusal(file('latin.md', bytes))).toBe(
      'This file is not valid UTF-8 text (first at line 3); save it as UTF-8 and import it again.',
    );
  });

  it('refuses UTF-16 text by its BOM', async () => {
    const utf16 = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('hi', 'utf16le')]);
    expect(await refusal(file('wide.txt', utf16))).toBe(
      'This file is UTF-16 text; save it as UTF-8 and import it again.',
    );
  });

  it('refuses an empty file, and one of only blank space or a BOM', async () => {
    expect(await refusal(file('empty.md', ''))).toBe('This file is empty.');
    expect(await refusal(file('blank.txt', ' \r\n\t\n'))).toBe(
      'This file is empty (it holds only blank space).',
    );
    expect(await refusal(file('bom.md', '\uFEFF'))).toBe('This file is empty (it holds only blank space).');
  });

  it('refuses a body longer than a note holds', async () => {
    expect(await refusal(file('long.txt', 'a'.repeat(limits.noteChars + 1)))).toBe(
      "This file's text is too long for one note (2,000,001 characters; the limit is 2,000,000).",
    );
  });

  it('refuses a folder named like a note, and a file that is gone', async () => {
    fs.mkdirSync(path.join(dir, 'folder.md'));
    expect(await refusal(path.join(dir, 'folder.md'))).toBe('This is not a file.');
    expect(await refusal(path.join(dir, 'missing.md'))).toBe('This file no longer exists.');
  });

  it.skipIf(isRoot || process.platform === 'win32')(
    'refuses an unreadable file (chmod 000; skipped as root, who reads anything)',
    async () => {
      const locked = file('locked.md', '# Secret');
      fs.chmodSync(locked, 0o000);
      try {
        expect(await refusal(locked)).toBe('Phidesk is not allowed to read this file (permission denied).');
      } finally {
        fs.chmodSync(locked, 0o644);
      }
    },
  );
});

describe('reading a PDF', () => {
  it('joins the pages with a blank line and knows the line each page starts on', async () => {
    const pdf = tinyPdf([['Kinematics', 'v = u + a t'], ['Dynamics']]);
    const note = await readNoteFile(file('Mechanics.pdf', pdf));
    expect(note).toEqual({
      title: 'Mechanics',
      body: 'Kinematics\nv = u + a t\n\nDynamics',
      kind: 'pdf',
      sha256: createHash('sha256').update(pdf).digest('hex'),
      pageLines: [1, 4],
    });
    const lines = splitLines(note.body);
    expect(lines[note.pageLines![0]! - 1]).toBe('Kinematics');
    expect(lines[note.pageLines![1]! - 1]).toBe('Dynamics');
  });

  it('keeps the page numbers exact across pages without text', async () => {
    const pages = [['One'], [], ['Three a', 'Three b', 'Three c'], ['Four']];
    const note = await readNoteFile(file('gaps.pdf', tinyPdf(pages)));
    const lines = splitLines(note.body);
    expect(note.pageLines).toEqual([1, 3, 5, 9]);
    pages.forEach((page, index) => {
      const start = note.pageLines![index]!;
      expect(lines.slice(start - 1, start - 1 + Math.max(page.length, 1))).toEqual(page.length ? page : ['']);
    });
  });

  it('refuses a PDF without text: "it may be scanned images"', async () => {
    expect(await refusal(file('scan.pdf', tinyPdf([[], []])))).toBe(
      'This PDF has no text (it may be scanned images).',
    );
  });

  it('refuses a file that is not a PDF, a damaged one and an encrypted one', async () => {
    expect(await refusal(file('fake.pdf', 'Just some text, named .pdf'))).toBe(
      'This file is not a PDF, though its name ends in .pdf.',
    );
    expect(await refusal(file('cut.pdf', tinyPdf([['Hello']]).subarray(0, 60)))).toBe(
      'This PDF is damaged and cannot be read.',
    );
    expect(await refusal(file('locked.pdf', tinyPdf([['Secret']], { encrypted: true })))).toBe(
      'This PDF is protected by a password; remove the password and import it again.',
    );
  });
});

import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { AppError, isAppError } from '../../../../src-shared/errors';
import { tempDir } from '../../../test-support/engine';
import { tinyPdf, writeFile } from '../../../test-support/note-files';
import { NoteImporter, type ImportedNote, type ImportProgress, type ImportSink } from './note-importer';

const root = fs.realpathSync(tempDir('phidesk-importer-'));
const elsewhere = fs.realpathSync(tempDir('phidesk-importer-outside-'));
afterAll(() => {
  fs.rmSync(root, { recursive: true, force: true });
  fs.rmSync(elsewhere, { recursive: true, force: true });
});
const isRoot = process.getuid?.() === 0;

type StoredNote = ImportedNote & { id: number; folder: string };

/** The store's side of an import, in memory: notes by id, and every write in order. */
class FakeSink implements ImportSink {
  notes = new Map<number, StoredNote>();
  writes: string[] = [];
  failOn: string | null = null;

  findBySource(file: string) {
    const note = [...this.notes.values()].find((candidate) => candidate.source.path === file);
    return note ? { id: note.id, sha256: note.source.sha256 } : null;
  }

  createImported(note: ImportedNote & { folder: string }) {
    if (this.failOn && note.source.path.endsWith(this.failOn))
      throw new AppError('disk_full', 'The disk is full.');
    const id = this.notes.size + 1;
    this.notes.set(id, { ...note, id });
    this.writes.push(`create ${path.basename(note.source.path)}`);
    return { id };
  }

  updateImported(id: number, note: ImportedNote) {
    const stored = this.notes.get(id)!;
    this.notes.set(id, { ...stored, ...note });
    this.writes.push(`update ${path.basename(note.source.path)}`);
  }

  byTitle(title: string): StoredNote | undefined {
    return [...this.notes.values()].find((note) => note.title === title);
  }
}

function importer(
  sink: ImportSink,
  options: { maxFiles?: number; onProgress?: (p: ImportProgress) => void } = {},
) {
  return new NoteImporter({ sink, roots: [root], ...options });
}

/** A fresh folder under the allowed root, with these files in it. */
function tree(name: string, files: Record<string, string | Uint8Array>): string {
  const top = path.join(root, name);
  for (const [relative, content] of Object.entries(files)) writeFile(top, relative, content);
  return top;
}

/** A folder of `count` small Markdown notes, 01.md, 02.md, … */
function numberedNotes(name: string, count: number): string {
  const files = Object.fromEntries(
    Array.from({ length: count }, (_, i) => [`${String(i + 1).padStart(2, '0')}.md`, `# Note ${i + 1}`]),
  );
  return tree(name, files);
}

describe('importing notes from files', () => {
  it('imports the good files of a folder and reports each bad one with its reason (TEST-CATALOG I14)', async () => {
    const physics = tree('Physics', {
      'Waves.md': '# Waves\n\nλ = v / f',
      'Mechanics/Forces.txt': 'F = m a',
      'Mechanics/Slides.pdf': tinyPdf([['Momentum'], ['p = m v']]),
      'Mechanics/Scan.pdf': tinyPdf([[]]),
      'photo.md': Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x00]),
      'latin1.txt': Buffer.from([0x63, 0x61, 0x66, 0xc3, 0x28]),
      'ignored.png': 'not a note',
    });
    const big = path.join(physics, 'Huge.md');
    fs.writeFileSync(big, '');
    fs.truncateSync(big, 50 * 1024 * 1024);
    fs.symlinkSync(writeFile(elsewhere, 'secret.md', 'secret'), path.join(physics, 'secret.md'));

    const sink = new FakeSink();
    const report = await importer(sink).import([physics], { folder: 'Course' });

    expect(report).toMatchObject({ imported: 3, updated: 0, unchanged: 0, cancelled: false });
    expect(report.failed).toEqual(
      expect.arrayContaining([
        {
          path: path.join(physics, 'Huge.md'),
          reason: 'This file is too large to import (50 MB; the limit is 20 MB).',
        },
        {
          path: path.join(physics, 'Mechanics/Scan.pdf'),
          reason: 'This PDF has no text (it may be scanned images).',
        },
        {
          path: path.join(physics, 'latin1.txt'),
          reason:
            'This file is not valid UTF-8 text (first at line 1); save it as UTF-8 and import it again.',
        },
        {
          path: path.join(physics, 'photo.md'),
          reason: 'This looks like a binary file, not text (it contains NUL bytes).',
        },
        {
          path: path.join(physics, 'secret.md'),
          reason: `This link leads outside the folder (to ${path.join(elsewhere, 'secret.md')}), so it was not followed.`,
        },
      ]),
    );
    expect(report.failed).toHaveLength(5);

    expect(sink.byTitle('Waves')).toMatchObject({
      folder: 'Course/Physics',
      body: '# Waves\n\nλ = v / f',
      pageLines: null,
      source: {
        path: path.join(physics, 'Waves.md'),
        kind: 'md',
        sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      },
    });
    expect(sink.byTitle('Forces')).toMatchObject({ folder: 'Course/Physics/Mechanics', body: 'F = m a' });
    expect(sink.byTitle('Slides')).toMatchObject({
      folder: 'Course/Physics/Mechanics',
      body: 'Momentum\n\np = m v',
      pageLines: [1, 3],
      source: { kind: 'pdf' },
    });
    // In the order of the files (sorted by path).
    expect(report.noteIds).toEqual([
      sink.byTitle('Forces')!.id,
      sink.byTitle('Slides')!.id,
      sink.byTitle('Waves')!.id,
    ]);
  });

  it('puts a file chosen by itself in the chosen folder, or at the top', async () => {
    const top = tree('Single', { 'Alone.md': 'alone', 'Other.txt': 'other' });
    const sink = new FakeSink();
    await importer(sink).import([path.join(top, 'Alone.md')], { folder: '' });
    await importer(sink).import([path.join(top, 'Other.txt')], { folder: 'Inbox/Later' });
    expect(sink.byTitle('Alone')?.folder).toBe('');
    expect(sink.byTitle('Other')?.folder).toBe('Inbox/Later');
  });

  it('leaves an unchanged file alone and updates a changed one in place', async () => {
    const top = tree('Again', {
      'same.md': '# Same',
      'edited.md': '# Before',
      'page.pdf': tinyPdf([['Old']]),
    });
    const sink = new FakeSink();
    const first = await importer(sink).import([top], { folder: 'Kept' });
    expect(first).toMatchObject({ imported: 3, updated: 0, unchanged: 0 });
    const edited = sink.byTitle('Before')!;
    // The person moved the note since: re-import must not move it back.
    edited.folder = 'Moved';

    writeFile(top, 'edited.md', '# After\n\nmore');
    writeFile(top, 'page.pdf', tinyPdf([['New'], ['Second page']]));
    sink.writes = [];
    const second = await importer(sink).import([top], { folder: 'Elsewhere' });

    expect(second).toEqual({
      imported: 0,
      updated: 2,
      unchanged: 1,
      failed: [],
      // Files in path order: edited.md, page.pdf, same.md.
      noteIds: [edited.id, first.noteIds[1]],
      cancelled: false,
    });
    expect(sink.writes).toEqual(['update edited.md', 'update page.pdf']);
    expect(sink.notes.get(edited.id)).toMatchObject({
      title: 'After',
      body: '# After\n\nmore',
      folder: 'Moved',
    });
    expect(sink.notes.get(first.noteIds[1]!)).toMatchObject({
      body: 'New\n\nSecond page',
      pageLines: [1, 3],
    });
    expect(sink.notes.size).toBe(3);
  });

  it('reports progress before each file and once at the end', async () => {
    const top = numberedNotes('Progress', 3);
    const progress: ImportProgress[] = [];
    await importer(new FakeSink(), { onProgress: (p) => progress.push(p) }).import([top], { folder: '' });
    expect(progress).toEqual([
      { done: 0, total: 3, current: path.join(top, '01.md') },
      { done: 1, total: 3, current: path.join(top, '02.md') },
      { done: 2, total: 3, current: path.join(top, '03.md') },
      { done: 3, total: 3, current: '' },
    ]);
  });

  it('stops between files when cancelled midway, and says what was done', async () => {
    const top = numberedNotes('Cancelled', 6);
    const controller = new AbortController();
    const sink = new FakeSink();
    // Cancelled while the third file is read: that one finishes, the rest are left.
    const onProgress = (p: ImportProgress) => p.current.endsWith('03.md') && controller.abort();
    const report = await importer(sink, { onProgress }).import([top], {
      folder: '',
      signal: controller.signal,
    });
    expect(report).toMatchObject({ imported: 3, failed: [], cancelled: true });
    expect([...sink.notes.values()].map((note) => note.title)).toEqual(['Note 1', 'Note 2', 'Note 3']);
  });

  it('cancels through the importer too, and cancel() says whether an import was running', async () => {
    const top = numberedNotes('CancelMethod', 4);
    const sink = new FakeSink();
    let notes: NoteImporter | null = null;
    let cancelAt: number | null = 1;
    const onProgress = (p: ImportProgress) => {
      if (p.done !== cancelAt) return;
      expect(notes!.cancel()).toBe(true);
      cancelAt = null;
    };
    notes = importer(sink, { onProgress });
    expect(notes.cancel()).toBe(false);
    expect(await notes.import([top], { folder: '' })).toMatchObject({ imported: 2, cancelled: true });
    expect(notes.importing).toBe(false);
    // The next import is not cancelled by the last one's cancel.
    expect(await notes.import([top], { folder: '' })).toMatchObject({
      imported: 2,
      unchanged: 2,
      cancelled: false,
    });
  });

  it('refuses a second import while one runs, as busy', async () => {
    const top = numberedNotes('Busy', 2);
    const notes = importer(new FakeSink());
    const running = notes.import([top], { folder: '' });
    const second = await notes.import([top], { folder: '' }).catch((error: unknown) => error);
    expect(isAppError(second, 'busy')).toBe(true);
    expect(await running).toMatchObject({ imported: 2 });
    expect(await notes.import([top], { folder: '' })).toMatchObject({ unchanged: 2 });
  });

  it('takes at most maxFiles files and reports the rest', async () => {
    const top = numberedNotes('Capped', 5);
    const report = await importer(new FakeSink(), { maxFiles: 2 }).import([top], { folder: '' });
    expect(report).toMatchObject({
      imported: 2,
      failed: [{ path: top, reason: '…and 3 more files: import at most 2 at a time.' }],
    });
  });

  it('goes on when the store refuses a note', async () => {
    const top = tree('StoreFails', { 'a.md': 'a', 'b.md': 'b', 'c.md': 'c' });
    const sink = new FakeSink();
    sink.failOn = 'b.md';
    const report = await importer(sink).import([top], { folder: '' });
    expect(report).toMatchObject({
      imported: 2,
      failed: [{ path: path.join(top, 'b.md'), reason: 'The disk is full.' }],
    });
  });

  it('refuses paths outside the allowed folders (TEST-CATALOG S4)', async () => {
    const outside = writeFile(elsewhere, 'outside.md', 'o');
    const report = await importer(new FakeSink()).import([outside], { folder: '' });
    expect(report).toMatchObject({
      imported: 0,
      failed: [{ path: outside, reason: `${outside} is outside the folders Phidesk may use.` }],
    });
  });

  it.skipIf(isRoot || process.platform === 'win32')(
    'reports an unreadable file and imports the rest (chmod 000; skipped as root, who reads anything)',
    async () => {
      const top = tree('Unreadable', { 'open.md': 'o', 'locked.md': 'l' });
      fs.chmodSync(path.join(top, 'locked.md'), 0o000);
      try {
        expect(await importer(new FakeSink()).import([top], { folder: '' })).toMatchObject({
          imported: 1,
          failed: [
            {
              path: path.join(top, 'locked.md'),
              reason: 'Phidesk is not allowed to read this file (permission denied).',
            },
          ],
        });
      } finally {
        fs.chmodSync(path.join(top, 'locked.md'), 0o644);
      }
    },
  );
});

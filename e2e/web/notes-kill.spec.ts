/**
 * The notes store under a crash: the host is killed (SIGKILL) while a note is being typed through the
 * contract, and while the index works through an import; started again on the same folder, it has lost at
 * most the save that was in flight, never corrupts a note, and finishes the index where it stopped.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { expect, test } from '@playwright/test';
import type { Note, NotesIndexStatus } from '../../src-shared/notes';
import { hostCall } from '../support/host-rpc';
import { startWebHost, type RunningWebHost } from '../support/web-host';

const typed = 'Momentum p = m·v is conserved when no external force acts. '.repeat(20);

test('a kill while typing loses at most the save in flight, and the note is never corrupt', async () => {
  let host: RunningWebHost = await startWebHost();
  try {
    for (let round = 0; round < 3; round++) {
      const note = await hostCall<Note>(host, 'notes.create', { title: `Typed ${round}` });
      let acknowledged = 0;
      // One save per keystroke group, as the editor's autosave sends them; the kill lands with one in flight.
      const killAfter = 15 + round * 20;
      for (let length = 10; length <= typed.length; length += 10) {
        const saving = hostCall(host, 'notes.update', { id: note.id, body: typed.slice(0, length) });
        if (length / 10 < killAfter) {
          await saving;
          acknowledged = length;
          continue;
        }
        saving.catch(() => undefined);
        await host.kill();
        break;
      }
      expect(host.isRunning()).toBe(false);

      host = await startWebHost({ dataDir: host.dataDir, port: host.port });
      const saved = await hostCall<Note>(host, 'notes.get', { id: note.id });
      // Every acknowledged save is there; at most the one in flight when the host died is not.
      expect(saved.body.length).toBeGreaterThanOrEqual(acknowledged);
      expect(saved.body.length).toBeLessThanOrEqual(acknowledged + 10);
      expect(typed.startsWith(saved.body)).toBe(true);
      // The database opened as it was: not damaged, nothing moved aside.
      const status = await hostCall<{ state: string }>(host, 'store.status', {});
      expect(status.state).toBe('open');
      expect(status).not.toHaveProperty('recovered');
    }
  } finally {
    await host.stop();
  }
});

const notesCount = 1200;
const sectionsPerNote = 6;
/** Each section (about 1.4 KB) is two chunks; see chunk-note.ts. */
const chunksPerNote = 12;

test('a kill while indexing an import: the next start finishes the index where it stopped', async () => {
  const folder = fs.mkdtempSync(path.join(os.tmpdir(), 'phidesk-kill-import-'));
  for (let i = 0; i < notesCount; i++) {
    const sections = Array.from(
      { length: sectionsPerNote },
      (_, s) => `## Part ${s}\n\n${`Lecture ${i} part ${s} about waves and energy. `.repeat(30)}`,
    );
    fs.writeFileSync(path.join(folder, `lecture-${String(i).padStart(3, '0')}.md`), sections.join('\n\n'));
  }
  let host = await startWebHost();
  try {
    await hostCall(host, 'notes.setIndexing', { paused: true });
    const report = await hostCall<{ imported: number }>(host, 'notes.import', { paths: [folder] });
    expect(report.imported).toBe(notesCount);
    await hostCall(host, 'notes.setIndexing', { paused: false });
    await expect
      .poll(async () => (await hostCall<NotesIndexStatus>(host, 'notes.indexStatus', {})).notes.indexed, {
        intervals: [5],
      })
      .toBeGreaterThan(0);
    await host.kill();
    const dataDir = host.dataDir;

    host = await startWebHost({ dataDir, port: host.port });
    const atRestart = await hostCall<NotesIndexStatus>(host, 'notes.indexStatus', {});
    // The kill landed mid-index (else this test proves nothing).
    expect(atRestart.notes.indexed).toBeLessThan(notesCount);
    await expect
      .poll(async () => (await hostCall<NotesIndexStatus>(host, 'notes.indexStatus', {})).notes, {
        timeout: 60_000,
      })
      .toEqual({ total: notesCount, indexed: notesCount });
    const status = await hostCall<NotesIndexStatus>(host, 'notes.indexStatus', {});
    // Each note's chunks once: nothing doubled by the work redone after the kill.
    expect(status.chunks).toBe(chunksPerNote * notesCount);
  } finally {
    await host.stop();
  }
});

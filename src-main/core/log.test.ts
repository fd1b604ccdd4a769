import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi, type MockInstance } from 'vitest';
import { configureLogFile, createLogger, disableLogFile, logFile, logFilePath } from './log';

const tempDataDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'phidesk-log-'));
const read = (file: string) => fs.readFileSync(file, 'utf8');

let stderr: MockInstance<typeof console.error>;
beforeEach(() => {
  stderr = vi.spyOn(console, 'error').mockImplementation(() => {});
});
afterEach(() => {
  disableLogFile();
  vi.restoreAllMocks();
});

describe('the log', () => {
  it('writes each line to <data folder>/logs/phidesk.log as well as stderr', () => {
    const dataDir = tempDataDir();
    const file = configureLogFile(dataDir);
    expect(file).toBe(path.join(dataDir, 'logs', 'phidesk.log'));
    expect(logFile()).toBe(file);
    expect(fs.statSync(path.dirname(file!)).isDirectory()).toBe(true); // openable before the first line

    const log = createLogger('store');
    log.info('opened the history', { messages: 3 });
    log.warn('the disk is 95% full');
    log.error('could not save', new Error('disk full'));

    const lines = read(file!);
    expect(lines).toMatch(
      /^\d{4}-\d\d-\d\dT[\d:.]+Z info {2}\[store\] opened the history \{ messages: 3 \}$/m,
    );
    expect(lines).toMatch(/warn {2}\[store\] the disk is 95% full$/m);
    expect(lines).toMatch(/error \[store\] could not save Error: disk full\n\s+at /);
    // The same lines on stderr, never stdout.
    const printed = stderr.mock.calls.map((call) => String(call[0]));
    expect(printed).toHaveLength(3);
    expect(printed[1]).toMatch(/warn {2}\[store\] the disk is 95% full$/);
    expect(lines).toContain(printed[2]);
  });

  it('keeps each logger’s level in the file too', () => {
    const file = configureLogFile(tempDataDir())!;
    const quiet = createLogger('test', 'warn');
    quiet.info('not worth keeping');
    quiet.warn('worth keeping');
    expect(read(file)).not.toContain('not worth keeping');
    expect(read(file)).toContain('worth keeping');
    expect(stderr).toHaveBeenCalledOnce();
  });

  it('rotates past the size limit, keeping the configured number of older files', () => {
    const dataDir = tempDataDir();
    const file = configureLogFile(dataDir, { maxBytes: 200, keep: 2 })!;
    const log = createLogger('rotate');
    for (let n = 1; n <= 12; n++) log.info(`entry ${String(n).padStart(2, '0')} ${'x'.repeat(40)}`);

    const folder = path.dirname(file);
    expect(fs.readdirSync(folder).sort()).toEqual(['phidesk.1.log', 'phidesk.2.log', 'phidesk.log']);
    for (const name of fs.readdirSync(folder)) {
      // Rotation happens before the line that would pass the limit: at most one line over it.
      expect(fs.statSync(path.join(folder, name)).size).toBeLessThan(200 + 100);
    }
    // Newest in phidesk.log, then .1, then .2; the oldest entries are gone.
    expect(read(file)).toContain('entry 12');
    const entries = (name: string) =>
      [...read(path.join(folder, name)).matchAll(/entry (\d+)/g)].map((m) => m[1]);
    const current = entries('phidesk.log');
    const older = entries('phidesk.1.log');
    const oldest = entries('phidesk.2.log');
    expect(Number(older.at(-1)) + 1).toBe(Number(current[0]));
    expect(Number(oldest.at(-1)) + 1).toBe(Number(older[0]));
    expect(read(path.join(folder, 'phidesk.2.log'))).not.toContain('entry 01');
  });

  it('appends to the file a previous run left', () => {
    const dataDir = tempDataDir();
    fs.mkdirSync(path.join(dataDir, 'logs'));
    fs.writeFileSync(logFilePath(dataDir), 'an earlier run\n');
    const file = configureLogFile(dataDir)!;
    createLogger('again').info('second run');
    expect(read(file)).toMatch(/^an earlier run\n.*second run\n$/);
  });

  it('writes no file at all when no data folder is configured (tests, the CLI)', () => {
    const writes = vi.spyOn(fs, 'writeFileSync');
    const opens = vi.spyOn(fs, 'openSync');
    const before = fs.readdirSync(process.cwd());
    expect(logFile()).toBeNull();

    const log = createLogger('test', 'error');
    log.info('quiet');
    log.warn('quiet');
    log.error('only this one, and only on stderr', new Error('boom'));

    expect(writes).not.toHaveBeenCalled();
    expect(opens).not.toHaveBeenCalled();
    expect(fs.readdirSync(process.cwd())).toEqual(before);
    expect(stderr).toHaveBeenCalledOnce();
    expect(String(stderr.mock.calls[0]?.[0])).toMatch(
      /error \[test\] only this one, and only on stderr Error: boom/,
    );
  });

  it('stops writing the file once disabled', () => {
    const file = configureLogFile(tempDataDir())!;
    const log = createLogger('test');
    log.info('kept');
    disableLogFile();
    log.info('not kept');
    expect(read(file)).toContain('kept');
    expect(read(file)).not.toContain('not kept');
    expect(logFile()).toBeNull();
  });

  it('falls back to stderr only when the logs folder cannot be made', () => {
    const dataDir = tempDataDir();
    fs.writeFileSync(path.join(dataDir, 'logs'), 'a file where the folder should be');
    expect(configureLogFile(dataDir)).toBeNull();
    expect(logFile()).toBeNull();
    expect(String(stderr.mock.calls[0]?.[0])).toMatch(
      /Cannot write the log in .*logs; logging to stderr only/,
    );
  });
});

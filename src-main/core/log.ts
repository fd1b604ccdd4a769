/**
 * The app's log, written by electron-log (its plain-Node entry, so core never imports electron): one line
 * per entry on stderr — never stdout, so it never mixes with the CLI's output — and, once a composition root
 * names the data folder with `configureLogFile`, the same lines in a rotating file there
 * (`<data folder>/logs/phidesk.log`). Without a data folder (tests, the CLI) nothing is written to disk.
 */
import fs from 'node:fs';
import path from 'node:path';
import { inspect } from 'node:util';
import electronLog from 'electron-log/node';

export interface Logger {
  info(message: string, ...details: unknown[]): void;
  warn(message: string, ...details: unknown[]): void;
  error(message: string, ...details: unknown[]): void;
}

const levels = { info: 0, warn: 1, error: 2 } as const;
type Level = keyof typeof levels;

export const logFileName = 'phidesk.log';
/** Size after which the file is rotated. */
export const defaultLogMaxBytes = 5 * 1024 * 1024;
/** Rotated files kept beside it: phidesk.1.log (the newest) … phidesk.3.log. */
export const defaultLogKeep = 3;

/** Where the log of the data folder `dataDir` is written. */
export function logFilePath(dataDir: string): string {
  return path.join(dataDir, 'logs', logFileName);
}

/** One electron-log instance for the whole process; every scoped Logger writes through it. */
const sink = electronLog.create({ logId: 'phidesk' });
sink.transports.file.setAppName('Phidesk');
// Only stderr and the file: nothing to renderers over IPC (absent under plain Node), nothing remote.
const { ipc, remote } = sink.transports as Partial<typeof sink.transports>;
if (ipc) ipc.level = false;
if (remote) remote.level = false;
sink.transports.file.level = false;
sink.transports.file.sync = true; // a log line survives the crash it reports
sink.transports.console.transforms = [({ message }) => [line(message)]];
sink.transports.console.writeFn = ({ message }) => console.error(...(message.data as string[]));
sink.transports.file.transforms = [({ message }) => line(message)];
// Not in electron-log's types: what it does when a transport throws (by default, nothing).
Object.assign(sink, {
  processInternalErrorFn: (error: unknown) => console.error('The log could not be written:', error),
});

/** `2026-01-31T12:00:00.000Z warn  [scope] message details…`, the same on stderr and in the file. */
function line(message: { date: Date; level: string; scope?: string | undefined; data: unknown[] }): string {
  const text = message.data.map((item) => (typeof item === 'string' ? item : inspect(item, { depth: 5 })));
  return `${message.date.toISOString()} ${message.level.padEnd(5)} [${message.scope ?? ''}] ${text.join(' ')}`;
}

let currentFile: string | null = null;

export interface LogFileOptions {
  maxBytes?: number;
  keep?: number;
}

/**
 * From now on, every logger of this process also writes to `<dataDir>/logs/phidesk.log`, rotated past
 * `maxBytes` with `keep` older files. Creates the folder (so it can be opened before anything is logged)
 * and returns the file's path; if the folder cannot be made, says so on stderr and returns null.
 */
export function configureLogFile(dataDir: string, options: LogFileOptions = {}): string | null {
  const file = path.resolve(logFilePath(dataDir));
  const maxBytes = options.maxBytes ?? defaultLogMaxBytes;
  const keep = Math.max(1, options.keep ?? defaultLogKeep);
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
  } catch (error) {
    disableLogFile();
    createLogger('log').error(`Cannot write the log in ${path.dirname(file)}; logging to stderr only`, error);
    return null;
  }
  const transport = sink.transports.file;
  transport.resolvePathFn = () => file;
  transport.maxSize = maxBytes;
  transport.archiveLogFn = (current) => rotate(current.path, keep, () => current.clear());
  transport.level = 'info';
  currentFile = file;
  return file;
}

/** Back to stderr only (for tests). */
export function disableLogFile(): void {
  sink.transports.file.level = false;
  currentFile = null;
}

/** The file this process logs to, or null when it logs to stderr only. */
export function logFile(): string | null {
  return currentFile;
}

/** phidesk.log → phidesk.1.log → … → phidesk.<keep>.log; the oldest is overwritten. */
function rotate(file: string, keep: number, clear: () => void): void {
  const { dir, name, ext } = path.parse(file);
  const numbered = (n: number) => path.join(dir, `${name}.${n}${ext}`);
  try {
    for (let n = keep - 1; n >= 1; n--) {
      if (fs.existsSync(numbered(n))) fs.renameSync(numbered(n), numbered(n + 1));
    }
    fs.renameSync(file, numbered(1));
  } catch (error) {
    // Another program holds the file (Windows): start it afresh rather than let it grow without bound.
    console.error(`Could not rotate the log ${file}:`, error);
    clear();
  }
}

export function createLogger(scope: string, minLevel: Level = 'info'): Logger {
  const scoped = sink.scope(scope);
  const write =
    (level: Level) =>
    (message: string, ...details: unknown[]): void => {
      if (levels[level] < levels[minLevel]) return;
      scoped[level](message, ...details);
    };
  return { info: write('info'), warn: write('warn'), error: write('error') };
}

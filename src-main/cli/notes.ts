import path from 'node:path';
import { parseArgs } from 'node:util';
import { z } from 'zod';
import packageJson from '../../package.json';
import { limits } from '../../src-shared/limits';
import type { ImportReport, NoteCitation, NotesAnswerState } from '../../src-shared/notes';
import { requestSchemas } from '../../src-shared/rpc';
import type { AnswerEnded } from '../../src-shared/types';
import { createCore, type Core } from '../core/create-core';
import type { EventBus } from '../core/event-bus';
import { createLogger } from '../core/log';
import type { NotesFeature } from '../core/notes/notes-feature';
import { resolveDataDir } from '../core/paths';
import type { Store } from '../core/store/store';
import { readStdin } from './ask';
import type { CliContext } from './context';
import { exitCodes, reportError, UsageError } from './exit-codes';
import { option, required } from './options';
import { findResourcesDir } from './resources';

export const notesUsage = `phidesk notes import [--data <dir>] [--folder <Notes folder>] [--json] <file-or-folder>...
  Imports .md, .txt and .pdf files (or every such file under a folder) as notes, waits for the index, and
  prints how many were imported, updated, unchanged and failed, with each failed file and why. Exits 1
  when a file failed. Paths must be inside your home, the temporary folder or the data folder.
  --data <dir>           the data folder (default: the app's, or $PHIDESK_DATA_DIR)
  --folder <path>        the Notes folder to import into, "/"-separated (default: the top level)
  --json                 print the import report as JSON

phidesk notes ask --model <file.gguf> [options] "question"
  Answers a question from your notes and lists the numbered sources [n] the answer cites. Reads the
  question from stdin if it is "-".
  --data <dir>           the data folder (default: the app's, or $PHIDESK_DATA_DIR)
  --embeddings <file>    an embedding model (.gguf): notes are searched by meaning as well as by words
  --note <id>            only this note
  --json                 print { answer, status, stopReason, sources, retrieval, notFound, conversationId }
  --threads <n>          llama.cpp threads (default: measured for this machine)
  --gpu <backend>        auto, cpu, cuda, vulkan or metal (default auto)`;

const importParams = requestSchemas['notes.import'].shape;
const askParams = requestSchemas['notes.ask'].shape;

export async function notes(args: string[], context: CliContext): Promise<number> {
  const [command, ...rest] = args;
  if (command === 'import') return importNotes(rest, context);
  if (command === 'ask') return askNotes(rest, context);
  throw new UsageError(
    command
      ? `unknown notes command "${command}" (use import or ask)`
      : 'notes needs a command: import or ask',
  );
}

async function importNotes(args: string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: { data: { type: 'string' }, folder: { type: 'string' }, json: { type: 'boolean' } },
  });
  const dataDir = dataDirOf(values.data);
  const folder = option('folder', values.folder, importParams.folder, 'text') ?? '';
  if (positionals.length === 0) throw new UsageError('give the files or folders to import');
  if (positionals.some((given) => given.trim() === ''))
    throw new UsageError('an empty path was given (check the quoting)');
  // The service takes full paths only; a path typed here is relative to where the command runs.
  const paths = positionals.map((given) => path.resolve(given));

  return withNotes(context, dataDir, async ({ notes }) => {
    const report = await notes.service.import(paths, folder);
    await notes.indexer.settled();
    console.log(values.json ? JSON.stringify(report, null, 2) : importSummary(report));
    return report.failed.length > 0 ? exitCodes.failed : exitCodes.ok;
  });
}

/** "Imported 3, updated 1, unchanged 5, failed 1", then each failed file and why. */
export function importSummary(report: ImportReport): string {
  const counts = `Imported ${report.imported}, updated ${report.updated}, unchanged ${report.unchanged}, failed ${report.failed.length}`;
  return [
    report.cancelled ? `${counts} (stopped before every file was read)` : counts,
    ...report.failed.map((failure) => `  ✗ ${failure.path}: ${failure.reason}`),
  ].join('\n');
}

async function askNotes(args: string[], context: CliContext): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      data: { type: 'string' },
      model: { type: 'string' },
      embeddings: { type: 'string' },
      note: { type: 'string' },
      json: { type: 'boolean' },
      threads: { type: 'string' },
      gpu: { type: 'string' },
    },
  });
  const dataDir = dataDirOf(values.data);
  const model = required('model', values.model);
  if (values.embeddings === '') throw new UsageError('--embeddings needs a model file');
  const noteId = option('note', values.note, askParams.noteId, 'number');
  const threads = option('threads', values.threads, z.int().min(1).max(limits.threads), 'number');
  const gpu = option('gpu', values.gpu, z.enum(['auto', 'cpu', 'cuda', 'vulkan', 'metal']), 'text');
  const raw = positionals.join(' ');
  if (!raw) throw new UsageError('a question is required (or "-" to read it from stdin)');
  const parsed = askParams.question.safeParse(raw === '-' ? await readStdin() : raw);
  if (!parsed.success)
    throw new UsageError(`the question: ${parsed.error.issues[0]?.message ?? 'invalid value'}`);
  const question = parsed.data;

  return withNotes(context, dataDir, async ({ bus, engine, notes, store }) => {
    if (noteId !== undefined && !noteExists(store, noteId))
      throw new UsageError(`--note ${noteId}: there is no such note`);
    await engine.load({
      path: model,
      gpu: gpu ?? 'auto',
      gpuLayers: 'auto',
      contextSize: 'auto',
      // 'auto' is the engine's own rule (measured for this machine); --threads overrides it.
      threads: threads ?? 'auto',
      sequences: 1,
    });
    if (values.embeddings) await notes.loadEmbeddings(path.resolve(values.embeddings));
    await notes.indexer.settled();

    const endings = answerEndings(bus);
    let ended: AnswerEnded;
    let started;
    try {
      started = await notes.answers.ask({ question, noteId });
      ended = await endings.wait(started.messageId);
    } finally {
      endings.off();
    }
    const answer = store.messages.get(started.messageId).content;
    const state = store.conversations.get(started.conversationId).state as NotesAnswerState;
    const sources = state.answers.at(-1);
    const result = {
      answer,
      status: ended.status,
      stopReason: ended.stats?.stopReason ?? null,
      sources: sources?.sources ?? [],
      retrieval: sources?.retrieval ?? 'keyword',
      notFound: sources?.notFound ?? false,
      conversationId: started.conversationId,
    };
    if (values.json) console.log(JSON.stringify(result, null, 2));
    else {
      const cited = result.sources.length
        ? `\n\nSources:\n${result.sources.map((source) => sourceLine(source)).join('\n')}`
        : '';
      console.log(`${answer.trim()}${cited}`);
    }
    if (result.stopReason === 'max_tokens') console.error('[the answer was cut at its length limit]');
    if (ended.status === 'complete') return exitCodes.ok;
    console.error(`phidesk: the answer ended ${ended.status}${ended.error ? `: ${ended.error}` : ''}`);
    return ended.status === 'error' ? exitCodes.modelError : exitCodes.failed;
  });
}

/** "[n] Title › Heading (lines a–b)", or "(page p)" for a PDF: where a cited passage is. */
export function sourceLine(source: NoteCitation): string {
  const place = [source.title || 'Untitled', ...source.headingPath].join(' › ');
  const where =
    source.pageStart !== null
      ? `page ${source.pageStart}${source.pageEnd !== null && source.pageEnd !== source.pageStart ? `–${source.pageEnd}` : ''}`
      : `lines ${source.lineStart}–${source.lineEnd}`;
  return `[${source.number}] ${place} (${where})`;
}

function dataDirOf(given: string | undefined): string {
  if (given === undefined) return resolveDataDir();
  if (given.trim() === '') throw new UsageError('--data needs a folder');
  return path.resolve(given);
}

function noteExists(store: Store, id: number): boolean {
  try {
    store.notes.get(id);
    return true;
  } catch {
    return false;
  }
}

type NotesCore = Core & { notes: NotesFeature; store: Store };

/**
 * The app's own core on a data folder, for one command; always disposed, also on errors, so the process
 * exits promptly. Logs go to stderr only (warnings and errors), never to stdout.
 */
async function withNotes(
  context: CliContext,
  dataDir: string,
  use: (core: NotesCore) => Promise<number>,
): Promise<number> {
  const core = createCore({
    launchEngine: context.launchEngine,
    // Plain Node, as in browser mode; nothing here asks for app.info.
    host: 'browser',
    appVersion: packageJson.version,
    dataDir,
    resourcesDir: findResourcesDir(),
    log: createLogger('phidesk', 'warn'),
  });
  try {
    if (!core.notes || !core.store) {
      console.error(
        `phidesk: the notes are unavailable: ${core.storeStatus.error?.message ?? 'the database did not open'}`,
      );
      return exitCodes.failed;
    }
    await core.ready;
    await stopStartupLoad(core);
    return await use(core as NotesCore);
  } catch (error) {
    return reportError(error);
  } finally {
    await core.dispose();
  }
}

/** Startup may have begun loading the app's default model: this command loads its own, or none. */
async function stopStartupLoad(core: Core): Promise<void> {
  while (core.engine.state.loading) {
    core.engine.cancelLoad();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  await core.engine.unload();
}

/** Every `answer.ended` from now on, so an answer that ends before it is waited for is not missed. */
function answerEndings(bus: EventBus): { wait(messageId: number): Promise<AnswerEnded>; off(): void } {
  const seen = new Map<number, AnswerEnded>();
  const waiting = new Map<number, (ended: AnswerEnded) => void>();
  const off = bus.subscribe((name, payload) => {
    if (name !== 'answer.ended') return;
    const ended = payload as AnswerEnded;
    seen.set(ended.messageId, ended);
    waiting.get(ended.messageId)?.(ended);
  });
  return {
    wait: (messageId) =>
      new Promise((resolve) => {
        const already = seen.get(messageId);
        if (already) resolve(already);
        else waiting.set(messageId, resolve);
      }),
    off,
  };
}

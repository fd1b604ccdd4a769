/**
 * The `phidesk` command: the app's own core, for scripts and tests.
 *   phidesk ask --model <file.gguf> "prompt"    stream an answer
 *   phidesk info --model <file.gguf>            metadata and fit estimate as JSON
 *   phidesk check <solution.txt>                the checker's findings (and the model's analysis) as JSON
 *   phidesk eval --model <file.gguf>            the tutor's accuracy on the problem bank
 *   phidesk notes import <path>...              import notes (files or folders) and index them
 *   phidesk notes ask --model <file.gguf> "q"   an answer drawn from the notes, with its sources
 * Exit codes: 0 ok, 1 failed, 2 bad input, 3 model error.
 */
import { ask, askUsage } from './cli/ask';
import type { CliContext } from './cli/context';
import { check, checkUsage } from './cli/check';
import { evaluate, evalUsage } from './cli/evaluate';
import { exitCodes, reportError, UsageError } from './cli/exit-codes';
import { info, infoUsage } from './cli/info';
import { notes, notesUsage } from './cli/notes';
import { engineEntryBeside, forkEngine } from './core/engine/process/launch';

const commands: Record<string, (args: string[], context: CliContext) => Promise<number>> = {
  ask,
  info,
  check,
  eval: evaluate,
  notes,
};

const usage = `Phidesk, on the command line.

${askUsage}

${infoUsage}

${checkUsage}

${evalUsage}

${notesUsage}

Exit codes: 0 ok, 1 failed, 2 bad input, 3 model error.`;

async function main(argv: string[]): Promise<number> {
  const [name, ...args] = argv;
  if (!name) {
    console.error(usage);
    return exitCodes.badInput;
  }
  if (name === '--help' || name === '-h' || name === 'help') {
    console.log(usage);
    return exitCodes.ok;
  }
  const command = commands[name];
  if (!command) throw new UsageError(`unknown command "${name}"`);
  return command(args, { launchEngine: forkEngine(engineEntryBeside(import.meta.filename)) });
}

main(process.argv.slice(2)).then(
  (code) => (process.exitCode = code),
  (error: unknown) => {
    // parseArgs reports unknown or malformed options as TypeErrors with a code.
    const usageError = (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')
      ? new UsageError((error as Error).message)
      : error;
    process.exitCode = reportError(usageError);
  },
);

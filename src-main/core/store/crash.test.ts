/**
 * Kill tests (TEST-CATALOG F1, F2): a real child process, killed with SIGKILL at random moments, and the
 * database checked after each kill.
 */
import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureTestModel } from '../../../scripts/test-model/ensure-test-model';
import { tempDir } from '../../test-support/engine';
import { openSqlite } from './sqlite';
import { databaseFileName, Store } from './store';

const children = path.resolve(import.meta.dirname, '../../test-support/children');
const rounds = Number(process.env.PHIDESK_F1_ROUNDS ?? 50);

interface ChildRun {
  lines: string[];
  exitCode: number | null;
  signal: NodeJS.Signals | null;
}

/** Runs a child; `killWhen` decides, from its output so far, how many ms later to SIGKILL it (or not). */
function runChild(
  script: string,
  args: string[],
  killWhen: (line: string) => number | null,
): Promise<ChildRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(children, script), ...args], {
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    const lines: string[] = [];
    let buffered = '';
    let killing = false;
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.stdout.on('data', (chunk: Buffer) => {
      buffered += chunk.toString();
      const complete = buffered.split('\n');
      buffered = complete.pop()!;
      for (const line of complete) {
        lines.push(line);
        const delay = killing ? null : killWhen(line);
        if (delay !== null) {
          killing = true;
          setTimeout(() => child.kill('SIGKILL'), delay);
        }
      }
    });
    child.on('error', reject);
    child.on('exit', (exitCode, signal) => {
      if (exitCode && !killing) reject(new Error(`child failed (${exitCode}): ${stderr}`));
      else resolve({ lines, exitCode, signal });
    });
  });
}

describe('F1: killed while streaming', () => {
  const model = ensureTestModel({ endOfTextBias: -30 });
  const prompt = 'Explain conservation of momentum.';

  it(
    `never loses or corrupts history across ${rounds} kills at random moments`,
    { timeout: 30 * 60_000 },
    async () => {
      // The whole answer, from a run that is not killed: every partial one must be a prefix of it.
      const referenceDir = tempDir('phidesk-f1-ref-');
      await runChild('stream-then-die.ts', [referenceDir, model, prompt, '11'], () => null);
      const referenceStore = Store.open(path.join(referenceDir, databaseFileName));
      const reference = referenceStore.messages.all(1).find((m) => m.role === 'assistant')!;
      referenceStore.close();
      expect(reference.status).toBe('complete');
      expect(reference.content.length).toBeGreaterThan(500);

      const dataDir = tempDir('phidesk-f1-');
      const file = path.join(dataDir, databaseFileName);
      let killedWhileStreaming = 0;
      for (let round = 0; round < rounds; round++) {
        // Most kills land while the answer streams; some while the child is still starting.
        const early = round % 6 === 5;
        const run = await runChild('stream-then-die.ts', [dataDir, model, prompt, '11'], (line) =>
          early
            ? line.startsWith('STARTED')
              ? 0
              : null
            : line.startsWith('STARTED')
              ? Math.random() * 1500
              : null,
        );
        const flushes = run.lines
          .filter((line) => line.startsWith('FLUSH'))
          .map((line) => line.split(' ').map(Number));
        if (run.signal === 'SIGKILL' && !run.lines.includes('DONE')) killedWhileStreaming += 1;

        const store = Store.open(file);
        expect(store.quickCheck(), `round ${round}`).toBe('ok');
        const db = openSqlite(file, undefined, { readonly: true });
        const orphans = db
          .prepare(
            `SELECT count(*) FROM messages m WHERE m.parent_id IS NOT NULL AND NOT EXISTS (SELECT 1 FROM messages p WHERE p.id = m.parent_id)`,
          )
          .pluck()
          .get();
        const perConversation = db
          .prepare(
            `SELECT conversation_id AS id, sum(role = 'user') AS users, sum(role = 'assistant') AS answers FROM messages GROUP BY conversation_id`,
          )
          .all() as { id: number; users: number; answers: number }[];
        const answers = db
          .prepare(`SELECT id, content, status FROM messages WHERE role = 'assistant'`)
          .all() as {
          id: number;
          content: string;
          status: string;
        }[];
        db.close();

        expect(orphans, `round ${round}: orphan rows`).toBe(0);
        for (const conversation of perConversation) {
          expect(conversation, `round ${round}: one question and one answer each`).toMatchObject({
            users: 1,
            answers: 1,
          });
        }
        for (const answer of answers) {
          expect(['complete', 'interrupted'], `round ${round}: answer ${answer.id} status`).toContain(
            answer.status,
          );
          expect(
            reference.content.startsWith(answer.content.trimEnd()),
            `round ${round}: answer ${answer.id} is a prefix`,
          ).toBe(true);
          const lastFlush = flushes.filter(([, id]) => id === answer.id).at(-1);
          if (lastFlush)
            expect(
              answer.content.length,
              `round ${round}: not shorter than the last save`,
            ).toBeGreaterThanOrEqual(lastFlush[2]!);
        }
        store.close();
      }
      expect(killedWhileStreaming).toBeGreaterThan(rounds / 2);
    },
  );
});

describe('F2: killed during a migration', () => {
  it.each([1, 2])(
    'leaves the old version after a kill inside migration %i, and the next start finishes it',
    async (version) => {
      const file = path.join(tempDir('phidesk-f2-'), databaseFileName);
      const run = await runChild('migrate-then-die.ts', [file, String(version)], (line) =>
        line === 'MIGRATING' ? 50 : null,
      );
      expect(run.signal).toBe('SIGKILL');
      const db = openSqlite(file, undefined, { readonly: true });
      expect(db.pragma('user_version', { simple: true })).toBe(version - 1);
      db.close();

      const store = Store.open(file);
      expect(store.quickCheck()).toBe('ok');
      const id = store.conversations.create({ kind: 'chat', title: 'after the crash' });
      expect(store.conversations.get(id).title).toBe('after the crash');
      expect(store.search.search('crash', 5)).toHaveLength(1);
      store.close();
    },
  );
});

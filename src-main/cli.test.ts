import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ImportReport, NoteCitation } from '../src-shared/notes';
import { ensureTestModel } from '../scripts/test-model/ensure-test-model';
import { databaseFileName, Store } from './core/store/store';
import { tempDir } from './test-support/engine';
import { tinyPdf, writeFile } from './test-support/note-files';

const model = ensureTestModel({ endOfTextBias: -30 });

/** Runs the real command line (the same source `npm run build` bundles). */
function phidesk(args: string[], input?: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/cli.ts', ...args], {
    encoding: 'utf8',
    input,
    timeout: 60_000,
    // Never the developer's own data folder, whatever a test forgets to pass.
    env: { ...process.env, PHIDESK_DATA_DIR: tempDir('phidesk-cli-data-') },
  });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

describe('phidesk ask', () => {
  it('streams the answer to stdout and the stats line to stderr', () => {
    const { code, stdout, stderr } = phidesk([
      'ask',
      '--model',
      model,
      '--max-tokens',
      '20',
      '--seed',
      '4',
      'What is inertia?',
    ]);
    expect(code).toBe(0);
    expect(stdout.trim().length).toBeGreaterThan(0);
    expect(stderr).toMatch(
      /\[20 tokens · [\d.]+ tok\/s · first token \d+ ms · prompt \d+ tokens · stop: max tokens\]/,
    );
  });

  it('is reproducible with --seed and reads the prompt from stdin with "-"', () => {
    const args = ['ask', '--model', model, '--max-tokens', '12', '--seed', '7', '--temperature', '0.9'];
    const first = phidesk([...args, 'Same prompt']);
    const second = phidesk([...args, '-'], 'Same prompt');
    expect(second.code).toBe(0);
    expect(second.stdout).toBe(first.stdout);
  });

  it.each([
    [['ask', 'no model given']],
    [['ask', '--model', model]],
    [['ask', '--model', model, '   ']],
    [['ask', '--model', model, '--temperature', 'hot', 'x']],
    [['ask', '--model', model, '--temperature', '9', 'x']],
    [['ask', '--model', model, '--bogus', 'x']],
    [['frobnicate']],
    [[]],
  ])('exits 2 on bad input: %j', (args) => {
    const { code, stderr } = phidesk(args);
    expect(code).toBe(2);
    expect(stderr.length).toBeGreaterThan(0);
  });

  it('exits 2 for a prompt longer than the context (I1)', () => {
    const { code, stderr } = phidesk(['ask', '--model', model, 'word '.repeat(3000)]);
    expect(code).toBe(2);
    expect(stderr).toMatch(/too long|Too long/i);
  });

  it('exits 3 on a model file that is missing or not a model', () => {
    const html = path.join(tempDir('phidesk-cli-'), 'page.gguf');
    fs.writeFileSync(html, '<!doctype html><title>404</title>');
    const notModel = phidesk(['ask', '--model', html, 'hi']);
    expect(notModel.code).toBe(3);
    expect(notModel.stderr).toMatch(/HTML page/);
    expect(phidesk(['ask', '--model', '/no/such/file.gguf', 'hi']).code).toBe(3);
  });
});

describe('phidesk info', () => {
  it('prints metadata and the fit estimate as JSON without loading weights', () => {
    const { code, stdout } = phidesk(['info', '--model', model]);
    expect(code).toBe(0);
    const info = JSON.parse(stdout) as { file: Record<string, unknown>; fit: Record<string, unknown> };
    expect(info.file).toMatchObject({ architecture: 'phi2', contextLength: 2048, path: path.resolve(model) });
    expect(info.fit).toMatchObject({ verdict: 'fits', contextSize: 2048 });
  });

  it('exits 3 for a truncated model', () => {
    const cut = path.join(tempDir('phidesk-cli-'), 'cut.gguf');
    fs.writeFileSync(cut, fs.readFileSync(model).subarray(0, 5000));
    const { code, stderr } = phidesk(['info', '--model', cut]);
    expect(code).toBe(3);
    expect(stderr).toMatch(/incomplete/);
  });
});

describe('phidesk check', () => {
  const skier = [
    'A skier starts from rest at the top of a frictionless slope 40 m high and 80 m long.',
    'How fast is the skier moving at the bottom?',
    '---',
    'E = mgL',
    '',
    'v = √(2·9.81·80) = 39.6 m/s',
    'v = √(2·9.81·40) = 30.2 m/s',
  ].join('\n');

  it("prints the checker's findings per step as JSON", () => {
    const file = path.join(tempDir('phidesk-cli-'), 'solution.txt');
    fs.writeFileSync(file, skier);
    const { code, stdout } = phidesk(['check', file]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      problem: string;
      steps: string[];
      findings: { line: number; status: string; expected: string | null; message: string }[];
      errors: number;
      analysis?: unknown;
    };
    expect(report.problem).toMatch(/^A skier/);
    expect(report.steps).toHaveLength(3);
    expect(report.findings.map((finding) => finding.status)).toEqual(['none', 'ok', 'error']);
    expect(report.findings[2]).toMatchObject({ line: 3, expected: expect.stringMatching(/^28\.0 m/) });
    expect(report.errors).toBe(1);
    expect(report.analysis).toBeUndefined();
  });

  it('adds the model’s analysis with --model, reading the file from stdin', () => {
    const { code, stdout } = phidesk(
      ['check', '-', '--model', model, '--problem', 'energy-skier-slope'],
      skier,
    );
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      analysis: { verdict: string; firstWrongStep: number; prompt: string };
    };
    expect(['correct', 'incorrect', 'incomplete']).toContain(report.analysis.verdict);
    expect(report.analysis.firstWrongStep).toBeLessThanOrEqual(3);
    expect(report.analysis.prompt).toBe('mistake-analysis.v1');
  });

  it.each([
    [['check'], ''],
    [['check', '-'], 'no separator here'],
    [['check', '-'], '---\nv = 3 m/s'],
    [['check', '-'], 'A problem\n---\n   \n'],
    [['check', '-', '--problem', 'no-such-problem'], 'P\n---\nv = 1 m/s'],
    [['check', '/no/such/file.txt'], ''],
  ])('exits 2 on bad input: %j', (args, input) => {
    const { code, stderr } = phidesk(args, input);
    expect(code).toBe(2);
    expect(stderr.length).toBeGreaterThan(0);
  });
});

describe('phidesk eval', () => {
  it('runs bank problems through Solve and the mistake check end to end and prints the table', () => {
    const { code, stdout, stderr } = phidesk(['eval', '--model', model, '--limit', '2']);
    expect(code).toBe(0);
    expect(stderr.split('\n').filter((line) => /^(solve|mistake) /.test(line))).toHaveLength(4);
    expect(stdout).toMatch(/topic\s+solved\s+mistake/);
    expect(stdout).toMatch(/^all\s+\d\/2\s+\d+%\s+\d\/2/m);
    expect(stdout).toMatch(/\(2\/2 analyses parsed\)/);
  });

  it('prints the full report as JSON, for one topic', () => {
    const { code, stdout } = phidesk([
      'eval',
      '--model',
      model,
      '--topic',
      'waves',
      '--limit',
      '1',
      '--solve-only',
      '--json',
    ]);
    expect(code).toBe(0);
    const report = JSON.parse(stdout) as {
      solve: { topic: string; outputTokens: number }[];
      mistakes: unknown[];
    };
    expect(report.solve).toHaveLength(1);
    expect(report.solve[0]!.topic).toBe('waves');
    expect(report.solve[0]!.outputTokens).toBeGreaterThan(0);
    expect(report.mistakes).toEqual([]);
  });

  it('exits 2 for an unknown topic', () => {
    expect(phidesk(['eval', '--model', model, '--topic', 'astrology']).code).toBe(2);
  });
});

describe('phidesk notes', () => {
  const data = tempDir('phidesk-cli-notes-data-');
  const folder = tempDir('phidesk-cli-notes-');
  const broken = writeFile(folder, 'broken.md', Buffer.from([0x23, 0x20, 0x00, 0x01, 0xff, 0xfe, 0x00]));
  writeFile(
    folder,
    'Physics/capacitors.md',
    '# Capacitors\n\n## Charge\n\ncapacitance charge voltage farad\n',
  );
  writeFile(folder, 'optics.txt', 'Lenses bend light.\nThe focal length of a lens.\n');
  writeFile(folder, 'Lectures/slides.pdf', tinyPdf([['Dielectric slabs', 'raise the permittivity']]));
  let first: { code: number | null; report: ImportReport };

  /** The notes in the data folder, read straight from its database once the command has ended. */
  function storedNotes() {
    const store = Store.open(path.join(data, databaseFileName));
    try {
      return store.notes.list({ sort: 'title', limit: 100 }).notes;
    } finally {
      store.close();
    }
  }

  beforeAll(() => {
    const { code, stdout } = phidesk(['notes', 'import', '--data', data, '--json', folder]);
    first = { code, report: JSON.parse(stdout) as ImportReport };
  });

  it('imports a folder into the data folder, reporting a binary file as failed (exit 1)', () => {
    expect(first.code).toBe(1);
    expect(first.report).toMatchObject({ imported: 3, updated: 0, unchanged: 0, cancelled: false });
    expect(first.report.noteIds).toHaveLength(3);
    expect(first.report.failed).toEqual([{ path: fs.realpathSync(broken), reason: expect.any(String) }]);
    expect(first.report.failed[0]!.reason).toMatch(/binary/);
    const notes = storedNotes();
    expect(notes.map((note) => [note.title, note.folder, note.indexed])).toEqual(
      expect.arrayContaining([
        ['Capacitors', `${path.basename(folder)}/Physics`, true],
        ['slides', `${path.basename(folder)}/Lectures`, true],
      ]),
    );
  });

  it('re-imports (a relative path) as unchanged, and refuses a path outside the usual folders', () => {
    const relative = path.relative(process.cwd(), folder);
    const { code, stdout } = phidesk(['notes', 'import', '--data', data, relative, '/etc/passwd']);
    expect(code).toBe(1);
    const [summary, ...failures] = stdout.trim().split('\n');
    expect(summary).toBe('Imported 0, updated 0, unchanged 3, failed 2');
    expect(failures).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^ {2}✗ \/etc\/passwd: .*outside the folders Phidesk may use/),
        expect.stringMatching(/^ {2}✗ .*broken\.md: .*binary/),
      ]),
    );
  });

  it('imports into a Notes folder with --folder and exits 0 when nothing failed', () => {
    const file = writeFile(tempDir('phidesk-cli-notes-'), 'entropy.md', 'Entropy never decreases.\n');
    const { code, stdout } = phidesk(['notes', 'import', '--data', data, '--folder', 'Heat/Week 1', file]);
    expect(code).toBe(0);
    expect(stdout).toBe('Imported 1, updated 0, unchanged 0, failed 0\n');
    expect(storedNotes().find((note) => note.title === 'entropy')?.folder).toBe('Heat/Week 1');
  });

  it('answers from the notes with --json: the matching note is the first source, with its lines', () => {
    const { code, stdout } = phidesk([
      'notes',
      'ask',
      '--data',
      data,
      '--model',
      model,
      '--threads',
      '1',
      '--json',
      'What is capacitance?',
    ]);
    expect(code).toBe(0);
    const result = JSON.parse(stdout) as {
      answer: string;
      status: string;
      stopReason: string | null;
      sources: NoteCitation[];
      retrieval: string;
      notFound: boolean;
      conversationId: number;
    };
    expect(result.status).toBe('complete');
    expect(['end_token', 'stop_trigger', 'max_tokens']).toContain(result.stopReason);
    expect(result.answer.length).toBeGreaterThan(0);
    expect(result).toMatchObject({ retrieval: 'keyword', notFound: false });
    expect(result.conversationId).toBeGreaterThan(0);
    expect(result.sources[0]).toMatchObject({
      number: 1,
      title: 'Capacitors',
      headingPath: ['Capacitors', 'Charge'],
      lineStart: 3,
      lineEnd: expect.any(Number),
    });
  });

  it('says exactly "Not found in your notes." when nothing matches', () => {
    const { code, stdout } = phidesk([
      'notes',
      'ask',
      '--data',
      data,
      '--model',
      model,
      '--threads',
      '1',
      '--json',
      'Who won the 1998 world cup?',
    ]);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({
      answer: 'Not found in your notes.',
      status: 'complete',
      sources: [],
      notFound: true,
    });
  });

  it('prints the answer and its sources for a person, about one note, the question from stdin', () => {
    const slides = storedNotes().find((note) => note.title === 'slides')!;
    const { code, stdout } = phidesk(
      ['notes', 'ask', '--data', data, '--model', model, '--threads', '1', '--note', String(slides.id), '-'],
      'What do dielectric slabs do?',
    );
    expect(code).toBe(0);
    const [answer, sources] = stdout.split('\n\nSources:\n');
    expect(answer!.trim().length).toBeGreaterThan(0);
    expect(sources).toBe('[1] slides (page 1)\n');
  });

  it.each([
    [['notes'], /import or ask/],
    [['notes', 'import', '--data', data], /files or folders/],
    [['notes', 'import', '--data', data, '--folder', 'a//b', folder], /--folder/],
    [['notes', 'ask', '--data', data, '--model', model], /question is required/],
    [['notes', 'ask', '--data', data, 'What is capacitance?'], /--model is required/],
    [['notes', 'ask', '--data', data, '--model', model, '--note', '999', 'q'], /no such note/],
  ])('exits 2 on bad input: %j', (args, message) => {
    const { code, stderr } = phidesk(args);
    expect(code).toBe(2);
    expect(stderr).toMatch(message);
  });

  it('exits 3 when the model file is missing', () => {
    const { code, stderr } = phidesk(['notes', 'ask', '--data', data, '--model', '/no/such/file.gguf', 'q']);
    expect(code).toBe(3);
    expect(stderr.length).toBeGreaterThan(0);
  });
});

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { ensureTestModel } from '../scripts/test-model/ensure-test-model';
import { tempDir } from './test-support/engine';

const model = ensureTestModel({ endOfTextBias: -30 });

/** Runs the real command line (the same source `npm run build` bundles). */
function phidesk(args: string[], input?: string) {
  const result = spawnSync(process.execPath, ['--import', 'tsx', 'src-main/cli.ts', ...args], {
    encoding: 'utf8',
    input,
    timeout: 60_000,
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

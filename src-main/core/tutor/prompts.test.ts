import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderPhi2Prompt } from '../engine/phi2-format';
import { tempDir } from '../../test-support/engine';
import { parseTemplate, PromptLibrary } from './prompts';

const resources = path.resolve(__dirname, '../../../resources');
const prompts = PromptLibrary.load(resources);
const skier =
  'A skier starts from rest at the top of a frictionless slope 40 m high and 80 m long. How fast is the skier moving at the bottom?';

/** What Phi-2 reads: the exact text of the whole prompt. */
const phi2 = (rendered: ReturnType<PromptLibrary['render']>) =>
  renderPhi2Prompt(rendered.system, rendered.turns);

describe('prompt templates', () => {
  it('renders the solve prompt exactly, primed with the first step', () => {
    const rendered = prompts.render('tutor-solve', { problem: skier });
    expect(rendered.id).toBe('tutor-solve.v1');
    expect(rendered.answerStart).toBe('Step 1:');
    expect(phi2(rendered)).toBe(
      'You are a careful physics tutor. You solve problems step by step, one step per line. You write formulas in LaTeX between $ signs, substitute the numbers into each formula, and write the unit after every value. You use g = 9.81 m/s^2.\n' +
        'Instruct: Solve this physics problem step by step.\n' +
        `Problem: ${skier}\n` +
        'Number the steps (Step 1:, Step 2:, ...). Finish with the line "Final answer: <value> <unit>".\n' +
        'Output: Step 1:',
    );
  });

  it('renders each hint level exactly, and none of them asks for the solution or the answer', () => {
    const tutor =
      'You are a patient physics tutor. You help students find the solution themselves and never give away the answer.\n';
    expect(phi2(prompts.render('tutor-hint-nudge', { problem: skier }))).toBe(
      tutor +
        'Instruct: A student is stuck on this physics problem.\n' +
        `Problem: ${skier}\n` +
        'Give a short nudge in one or two sentences: what should the student think about first? Do not write formulas, numbers or the answer.\n' +
        'Output:',
    );
    expect(
      phi2(prompts.render('tutor-hint-principle', { problem: skier, previous: 'Think about energy.' })),
    ).toBe(
      tutor +
        'Instruct: A student is stuck on this physics problem.\n' +
        `Problem: ${skier}\n` +
        'Hints so far: Think about energy.\n' +
        'Name the physics principle or law that solves this problem and say in two or three sentences why it applies. You may write the general formula in LaTeX between $ signs, but do not put numbers in and do not state the answer.\n' +
        'Output:',
    );
    const nextStep = phi2(prompts.render('tutor-hint-next-step', { problem: skier, previous: 'None.' }));
    expect(nextStep).toContain('Show only the first step of the solution');
    expect(nextStep.endsWith('Do not calculate the final answer.\nOutput:')).toBe(true);
    for (const name of ['tutor-hint-nudge', 'tutor-hint-principle', 'tutor-hint-next-step'] as const) {
      const text = phi2(
        prompts.render(name, { problem: skier, ...(name === 'tutor-hint-nudge' ? {} : { previous: '' }) }),
      );
      expect(text).not.toMatch(/Solve this|Final answer:|step by step/);
    }
  });

  it('renders the mistake analysis prompt exactly', () => {
    const rendered = prompts.render('mistake-analysis', {
      problem: skier,
      steps: 'Step 1: E = mgL\nStep 2: v = √(2·9.81·80) = 39.6 m/s',
      findings: 'Step 2: the arithmetic is right.',
      reference: 'The reference answer is 28.01 m/s.',
    });
    expect(rendered.id).toBe('mistake-analysis.v1');
    expect(phi2(rendered)).toBe(
      "You are a physics teacher marking a student's worked solution. You find the first wrong step, say what kind of mistake it is and explain it in one or two sentences, then write the corrected solution.\n" +
        `Instruct: Problem: ${skier}\n` +
        "Student's solution:\n" +
        'Step 1: E = mgL\n' +
        'Step 2: v = √(2·9.81·80) = 39.6 m/s\n' +
        'A computer re-checked the arithmetic and units of each step: Step 2: the arithmetic is right.\n' +
        'The reference answer is 28.01 m/s.\n' +
        'Answer in JSON: the verdict (correct, incorrect or incomplete), the number of the first wrong step (0 if there is none), each mistake with its step, its type (concept, formula, arithmetic, units, sign or reading the problem) and an explanation, the corrected solution as short steps with formulas in LaTeX between $ signs, and the final answer with its unit.\n' +
        'Output:',
    );
  });

  it('refuses a missing value and a value with no place', () => {
    expect(() => prompts.render('tutor-solve', {})).toThrow(/needs a value for \{\{problem\}\}/);
    expect(() => prompts.render('tutor-solve', { problem: 'x', extra: 'y' })).toThrow(/no place for extra/);
  });

  it('loads the highest version of each template', () => {
    const dir = tempDir('phidesk-prompts-');
    fs.mkdirSync(path.join(dir, 'prompts'));
    for (const file of fs.readdirSync(path.join(resources, 'prompts')))
      fs.copyFileSync(path.join(resources, 'prompts', file), path.join(dir, 'prompts', file));
    fs.writeFileSync(path.join(dir, 'prompts', 'tutor-solve.v2.prompt'), '[instruct]\nSolve: {{problem}}\n');
    fs.writeFileSync(
      path.join(dir, 'prompts', 'tutor-solve.v10.prompt'),
      '[instruct]\nSolve now: {{problem}}\n',
    );
    const rendered = PromptLibrary.load(dir).render('tutor-solve', { problem: 'p' });
    expect(rendered).toMatchObject({ id: 'tutor-solve.v10', system: '', answerStart: '' });
    expect(rendered.turns).toEqual([{ role: 'user', content: 'Solve now: p' }]);
  });

  it('refuses malformed templates with the file named', () => {
    expect(() => parseTemplate('hello\n[instruct]\nx', 'a.v1.prompt')).toThrow(/a\.v1\.prompt: text before/);
    expect(() => parseTemplate('[system]\nx', 'b.v1.prompt')).toThrow(/b\.v1\.prompt: the \[instruct\]/);
    expect(() => parseTemplate('[instruct]\nx\n[instruct]\ny', 'c.v1.prompt')).toThrow(/appears twice/);
    expect(parseTemplate('# a comment\n[instruct]\n  x  \n', 'd.v1.prompt')).toEqual({
      system: '',
      instruct: 'x',
      output: '',
    });
  });
});

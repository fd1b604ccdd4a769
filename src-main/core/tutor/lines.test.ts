import { describe, expect, it } from 'vitest';
import { checkSolution } from './checker';
import { splitSteps } from './mistake-service';
import { solutionSteps, splitLines } from '../../../src-shared/lines';

describe('one rule for lines', () => {
  it('ends a line at \\r\\n, a bare \\r and \\n alike', () => {
    expect(splitLines('a\r\nb\rc\nd')).toEqual(['a', 'b', 'c', 'd']);
    expect(solutionSteps('  a \r\r\n\n b\r')).toEqual(['a', 'b']);
  });

  it('a bare \\r never shifts findings onto the wrong step', () => {
    // Step 2 is wrong (2 · 3 is 6); old Mac line endings must not merge it into step 1.
    const solution = 'v = 2 * 4 = 8 m/s\rs = 2 * 3 = 7 m\r\nt = 1 + 1 = 2 s';
    const steps = splitSteps(solution);
    expect(steps).toHaveLength(3);
    const findings = checkSolution(steps.join('\n'));
    expect(findings.lines.map((line) => line.status)).toEqual(['ok', 'error', 'ok']);
    expect(findings.lines[1]!.text).toBe(steps[1]);
  });
});

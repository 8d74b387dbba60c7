import { describe, expect, it } from 'vitest';
import { buildLoopPrompt, summarizeProgress, type IterationRecap } from './loop-prompt.js';
import { STATUS_BLOCK_INSTRUCTIONS } from './status-block.js';

const recap = (iteration: number, r: Partial<IterationRecap> = {}): IterationRecap => ({
  iteration,
  summary: `Did step ${iteration}.`,
  filesChanged: 1,
  commits: 0,
  error: null,
  ...r,
});

describe('buildLoopPrompt', () => {
  it('carries the objective, the iteration, and ends with the status block instructions', () => {
    const prompt = buildLoopPrompt({
      objective: '  Build a CLI calculator.\n',
      iteration: 1,
      maxIterations: 20,
      previous: [],
    });
    expect(prompt.startsWith('# Objective\n\nBuild a CLI calculator.\n\n# How this session works')).toBe(
      true,
    );
    expect(prompt).toContain('iteration 1 of at most 20');
    expect(prompt).not.toContain('# Progress so far');
    expect(prompt).not.toContain('# Feedback');
    expect(prompt.trimEnd().endsWith(STATUS_BLOCK_INSTRUCTIONS)).toBe(true);
  });

  it('includes the progress of earlier iterations and the feedback, in that order', () => {
    const prompt = buildLoopPrompt({
      objective: 'Fix the tests.',
      iteration: 3,
      maxIterations: 5,
      previous: [
        recap(2, { summary: 'Fixed the parser.' }),
        recap(1, { summary: 'Read the code.', filesChanged: 0 }),
      ],
      feedback: 'The verify command `npm test` exited 1.',
    });
    const progress = prompt.indexOf('# Progress so far');
    const feedback = prompt.indexOf('# Feedback on the last session');
    const block = prompt.indexOf('# Status block');
    expect(progress).toBeGreaterThan(0);
    expect(feedback).toBeGreaterThan(progress);
    expect(block).toBeGreaterThan(feedback);
    expect(prompt).toContain(
      '- Iteration 1: Read the code. (no changes)\n- Iteration 2: Fixed the parser. (1 file changed, 0 commits)',
    );
    expect(prompt).toContain('`npm test` exited 1.');
  });

  it('ignores blank feedback', () => {
    const prompt = buildLoopPrompt({
      objective: 'x',
      iteration: 2,
      maxIterations: 3,
      previous: [],
      feedback: '  ',
    });
    expect(prompt).not.toContain('# Feedback');
  });
});

describe('summarizeProgress', () => {
  it('is empty without earlier iterations', () => expect(summarizeProgress([])).toBe(''));

  const rows: [name: string, r: Partial<IterationRecap>, line: string][] = [
    [
      'changes and commits',
      { filesChanged: 3, commits: 2 },
      '- Iteration 1: Did step 1. (3 files changed, 2 commits)',
    ],
    ['no changes', { filesChanged: 0 }, '- Iteration 1: Did step 1. (no changes)'],
    [
      'tests and verify',
      { testsStatus: 'not_run', verify: 'failed' },
      '- Iteration 1: Did step 1. (1 file changed, 0 commits; tests not run; verify failed)',
    ],
    [
      'an error',
      { filesChanged: 0, error: 'API Error:\n 500' },
      '- Iteration 1: Did step 1. (no changes; error: API Error: 500)',
    ],
    ['no summary', { summary: null }, '- Iteration 1: (no summary) (1 file changed, 0 commits)'],
    [
      'the status block is removed from the summary',
      { summary: 'Wrote it.\n---GLUON_STATUS---\nEXIT_SIGNAL: true\n---END_GLUON_STATUS---' },
      '- Iteration 1: Wrote it. (1 file changed, 0 commits)',
    ],
    [
      'a long summary is cut',
      { summary: 'x'.repeat(1000) },
      `- Iteration 1: ${'x'.repeat(399)}… (1 file changed, 0 commits)`,
    ],
  ];
  it.each(rows)('%s', (_name, r, line) => expect(summarizeProgress([recap(1, r)])).toBe(line));

  it('stays within its budget, folding the oldest iterations into totals', () => {
    const previous = Array.from({ length: 40 }, (_, i) =>
      recap(i + 1, {
        summary: `Worked on part ${i + 1}: ${'detail '.repeat(30)}`,
        commits: 1,
        error: i === 0 ? 'boom' : null,
      }),
    );
    const text = summarizeProgress(previous, 1500);
    expect(text.length).toBeLessThanOrEqual(1500);
    const lines = text.split('\n');
    expect(lines[0]).toMatch(/^- Iterations 1–\d+: \d+ files changed and \d+ commits in all, 1 error$/);
    expect(lines[lines.length - 1]).toMatch(/^- Iteration 40: Worked on part 40/);
    // Every iteration is accounted for: folded ones in the totals, the rest one line each.
    const folded = Number(/–(\d+):/.exec(lines[0] as string)?.[1]);
    expect(lines.length - 1).toBe(40 - folded);
    expect(lines[0]).toContain(`${folded} files changed and ${folded} commits`);
  });

  it('always shows the newest iteration, even when over budget', () => {
    const text = summarizeProgress([recap(1), recap(2, { summary: 'y'.repeat(400) })], 200);
    expect(text.split('\n')).toHaveLength(2);
    expect(text).toContain('- Iteration 1: 1 file changed');
    expect(text).toContain('- Iteration 2: yyy');
  });

  it('sorts iterations given out of order', () => {
    expect(
      summarizeProgress([recap(2), recap(1)])
        .split('\n')
        .map((l) => l.slice(0, 13)),
    ).toEqual(['- Iteration 1', '- Iteration 2']);
  });
});

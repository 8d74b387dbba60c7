import { describe, expect, it } from 'vitest';
import {
  DEFAULT_BREAKER_THRESHOLDS,
  errorKey,
  initialBreaker,
  nextBreaker,
  type Breaker,
  type BreakerState,
  type BreakerThresholds,
  type IterationFacts,
} from './circuit-breaker.js';

// Iteration shorthands.
const idle: IterationFacts = { filesChanged: 0, commits: 0, error: null, permissionDenials: 0 };
const edit: IterationFacts = { ...idle, filesChanged: 2 };
const commit: IterationFacts = { ...idle, commits: 1 };
const boom = (error = 'API Error: 500 overloaded'): IterationFacts => ({ ...idle, error });
const denied: IterationFacts = { ...idle, permissionDenials: 1 };

/** Runs the iterations from a closed breaker and returns the state after each. */
function states(iterations: IterationFacts[], thresholds?: BreakerThresholds): BreakerState[] {
  let b = initialBreaker();
  return iterations.map((facts) => (b = nextBreaker(b, facts, thresholds)).state);
}

const C = 'closed' as const;
const H = 'half_open' as const;
const O = 'open' as const;

describe('nextBreaker: sequences', () => {
  const rows: [name: string, iterations: IterationFacts[], expected: BreakerState[]][] = [
    ['progress every iteration stays closed', [edit, commit, edit, commit, edit, edit], [C, C, C, C, C, C]],
    [
      'commits only (nothing uncommitted) is progress',
      [commit, commit, commit, commit, commit, commit],
      [C, C, C, C, C, C],
    ],
    ['one idle iteration stays closed', [idle], [C]],
    ['two idle iterations: half-open', [idle, idle], [C, H]],
    ['five idle iterations: open after 2 + 3', [idle, idle, idle, idle, idle], [C, H, H, H, O]],
    ['progress while half-open closes it', [idle, idle, edit, idle], [C, H, C, C]],
    [
      'progress on the last chance resets the count',
      [idle, idle, idle, idle, commit, idle, idle],
      [C, H, H, H, C, C, H],
    ],
    [
      'open stays open, even after progress',
      [idle, idle, idle, idle, idle, edit, edit],
      [C, H, H, H, O, O, O],
    ],
    ['the same error 5 times opens', [boom(), boom(), boom(), boom(), boom()], [C, H, H, H, O]],
    [
      'the same error 5 times opens even with progress',
      [
        { ...edit, error: 'x' },
        { ...edit, error: 'x' },
        { ...edit, error: 'x' },
        { ...edit, error: 'x' },
        { ...edit, error: 'x' },
      ],
      [C, C, C, C, O],
    ],
    [
      'the same error 4 times, then another error, stays shut',
      [
        edit,
        { ...edit, error: 'x' },
        { ...edit, error: 'x' },
        { ...edit, error: 'x' },
        { ...edit, error: 'x' },
        { ...edit, error: 'y' },
      ],
      [C, C, C, C, C, C],
    ],
    [
      'an iteration without error breaks the error streak',
      [
        { ...edit, error: 'x' },
        { ...edit, error: 'x' },
        { ...edit, error: 'x' },
        { ...edit, error: 'x' },
        edit,
        { ...edit, error: 'x' },
      ],
      [C, C, C, C, C, C],
    ],
    [
      'errors differing only in numbers and ids are the same error',
      [
        'req_0123456789ab failed after 3012 ms',
        'req_ffff56789abc failed after 12 ms',
        'req_0000456789ab failed after 7 ms',
        'req_9999456789ab failed after 1 ms',
        'req_1111456789ab failed after 2 ms',
      ].map((e) => ({ ...edit, error: e })),
      [C, C, C, C, O],
    ],
    [
      'permission denials in 2 iterations in a row open',
      [
        { ...denied, filesChanged: 1 },
        { ...denied, filesChanged: 1 },
      ],
      [C, O],
    ],
    [
      'denials in non-adjacent iterations do not',
      [{ ...denied, filesChanged: 1 }, edit, { ...denied, filesChanged: 1 }, edit],
      [C, C, C, C],
    ],
    ['many denials in one iteration do not', [{ ...edit, permissionDenials: 9 }, edit], [C, C]],
  ];
  it.each(rows)('%s', (_name, iterations, expected) => expect(states(iterations)).toEqual(expected));
});

describe('nextBreaker: thresholds are parameters', () => {
  const rows: [
    name: string,
    thresholds: Partial<BreakerThresholds>,
    iterations: IterationFacts[],
    expected: BreakerState[],
  ][] = [
    ['half-open after 1, open after 1 more', { halfOpenAfter: 1, openAfter: 1 }, [idle, idle], [H, O]],
    ['half-open after 3', { halfOpenAfter: 3 }, [idle, idle, idle], [C, C, H]],
    [
      'same error limit 2',
      { sameErrorLimit: 2 },
      [
        { ...edit, error: 'e' },
        { ...edit, error: 'e' },
      ],
      [C, O],
    ],
    [
      'denials over 3 iterations',
      { denialIterationsLimit: 3 },
      [
        { ...denied, commits: 1 },
        { ...denied, commits: 1 },
        { ...denied, commits: 1 },
      ],
      [C, C, O],
    ],
  ];
  it.each(rows)('%s', (_name, partial, iterations, expected) =>
    expect(states(iterations, { ...DEFAULT_BREAKER_THRESHOLDS, ...partial })).toEqual(expected),
  );
});

describe('nextBreaker: reasons and counts', () => {
  const run = (iterations: IterationFacts[]): Breaker =>
    iterations.reduce((b, f) => nextBreaker(b, f), initialBreaker());

  it('names progress', () => {
    expect(run([{ ...idle, filesChanged: 1, commits: 2 }]).reason).toBe(
      'progress: 1 file changed, 2 commits',
    );
    expect(run([{ ...idle, filesChanged: 3 }]).reason).toBe('progress: 3 files changed');
  });

  it('names the no-progress streak when half-open and open', () => {
    expect(run([idle, idle])).toMatchObject({
      state: 'half_open',
      noProgress: 2,
      reason: 'no progress in 2 iterations in a row',
    });
    expect(run([idle, idle, idle, idle, idle]).reason).toBe('no progress in 5 iterations in a row');
  });

  it('names the repeated error with its last wording', () => {
    const b = run([boom('E 1'), boom('E 2'), boom('E 3'), boom('E 4'), boom('E 5')]);
    expect(b).toMatchObject({ state: 'open', sameError: 5, lastError: 'e #' });
    expect(b.reason).toBe('the same error 5 times in a row: E 5');
  });

  it('prefers the error reason when several rules open at once', () => {
    const both = { ...idle, error: 'boom', permissionDenials: 1 };
    expect(run([both, both]).reason).toBe('permission denials in 2 iterations in a row');
    const thresholds = { ...DEFAULT_BREAKER_THRESHOLDS, sameErrorLimit: 2 };
    const b = [both, both].reduce((acc, f) => nextBreaker(acc, f, thresholds), initialBreaker());
    expect(b.reason).toBe('the same error 2 times in a row: boom');
  });

  it('returns the very same object once open', () => {
    const open = run([idle, idle, idle, idle, idle]);
    expect(nextBreaker(open, edit)).toBe(open);
  });

  it('starts closed with zero streaks', () => {
    expect(initialBreaker()).toEqual({
      state: 'closed',
      noProgress: 0,
      lastError: null,
      sameError: 0,
      denialIterations: 0,
      reason: 'closed',
    });
  });
});

describe('errorKey', () => {
  const rows: [a: string, b: string, same: boolean][] = [
    ['API Error: 500 Internal', 'api error: 529 internal', true],
    ['Timeout after 30000 ms', 'Timeout after 12 ms', true],
    ['cannot open "a.txt"', 'cannot open "b.txt"', true],
    ['commit deadbeefcafe failed', 'commit 0123456789ab failed', true],
    ['rate limited', 'overloaded', false],
    ['ENOENT: no such file', 'EACCES: permission denied', false],
  ];
  it.each(rows)('%j vs %j → %s', (a, b, same) => expect(errorKey(a) === errorKey(b)).toBe(same));

  it('is bounded', () => expect(errorKey('x '.repeat(1000)).length).toBeLessThanOrEqual(200));
});

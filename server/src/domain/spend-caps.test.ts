import { describe, expect, it } from 'vitest';
import { reachedCap, type Spend, type SpendCaps } from './spend-caps.js';

const none: SpendCaps = { taskUsd: null, projectPerDayUsd: null, projectPerMonthUsd: null };
const zero: Spend = { taskUsd: 0, projectDayUsd: 0, projectMonthUsd: 0, runUsd: 0 };

describe('reachedCap', () => {
  it.each<[string, Partial<SpendCaps>, Partial<Spend>, RegExp | null]>([
    ['no caps', {}, { taskUsd: 1e6, runUsd: 1e6 }, null],
    ['under the task cap', { taskUsd: 1 }, { taskUsd: 0.5, runUsd: 0.49 }, null],
    [
      'at the task cap (earlier runs + this one)',
      { taskUsd: 1 },
      { taskUsd: 0.5, runUsd: 0.5 },
      /task's cost cap of \$1/,
    ],
    ['over the task cap before the run', { taskUsd: 1 }, { taskUsd: 2 }, /task's/],
    [
      'the project daily cap',
      { projectPerDayUsd: 10 },
      { projectDayUsd: 9.5, runUsd: 0.5 },
      /daily cost cap of \$10/,
    ],
    ['under the daily cap', { projectPerDayUsd: 10 }, { projectDayUsd: 9.5, runUsd: 0.4 }, null],
    ['the project monthly cap', { projectPerMonthUsd: 100 }, { projectMonthUsd: 100 }, /monthly/],
    [
      'the task cap is named first',
      { taskUsd: 1, projectPerDayUsd: 1 },
      { taskUsd: 1, projectDayUsd: 1 },
      /task's/,
    ],
  ])('%s', (_name, caps, spend, expected) => {
    const result = reachedCap({ ...none, ...caps }, { ...zero, ...spend });
    if (expected === null) expect(result).toBeNull();
    else expect(result).toMatch(expected);
  });
});

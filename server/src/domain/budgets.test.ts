import { describe, expect, it } from 'vitest';
import { budgetLabel, budgetsToWarn, reachedBudget, warningText, type BudgetLimit } from './budgets.js';
import { reachedCap } from './spend-caps.js';

const budget = (patch: Partial<BudgetLimit>): BudgetLimit => ({
  id: 'b',
  scope: 'workspace',
  name: 'team',
  period: 'day',
  limitUsd: 10,
  spentUsd: 0,
  periodKey: '2026-12-04',
  ...patch,
});

describe('budgets', () => {
  it.each([
    [0, 7.99, false, false],
    [0, 8, true, false],
    [5, 3, true, false],
    [9.99, 0, true, false],
    [10, 0, true, true],
    [4, 6, true, true],
    [12, 0, true, true],
  ])('spent %d before, %d in this run → warn %s, reached %s', (spentUsd, runUsd, warn, reached) => {
    const b = budget({ spentUsd });
    expect(budgetsToWarn([b], runUsd).length > 0).toBe(warn);
    expect(reachedBudget([b], runUsd) !== null).toBe(reached);
  });

  it('names the budget with the least room left when several are reached', () => {
    const day = budget({ id: 'd', limitUsd: 5, spentUsd: 4 });
    const month = budget({ id: 'm', period: 'month', limitUsd: 100, spentUsd: 99.5 });
    const user = budget({ id: 'u', scope: 'user', name: 'alice', limitUsd: 3, spentUsd: 0 });
    expect(reachedBudget([day, month, user], 2)?.id).toBe('m');
    expect(budgetLabel(user)).toBe("user alice's daily budget of $3");
    expect(budgetLabel(month)).toBe("the workspace team's monthly budget of $100");
    expect(warningText(day, 0.2)).toBe("used 84 % of the workspace team's daily budget of $5 ($4.20)");
  });

  it('binds like the other caps, after them', () => {
    const caps = {
      taskUsd: null,
      projectPerDayUsd: null,
      projectPerMonthUsd: null,
      budgets: [budget({ spentUsd: 9 })],
    };
    const spend = { taskUsd: 0, projectDayUsd: 0, projectMonthUsd: 0, runUsd: 0.5 };
    expect(reachedCap(caps, spend)).toBeNull();
    expect(reachedCap(caps, { ...spend, runUsd: 1 })).toBe(
      "stopped at the workspace team's daily budget of $10",
    );
    expect(reachedCap({ ...caps, taskUsd: 1 }, { ...spend, runUsd: 1 })).toBe(
      "stopped at the task's cost cap of $1",
    );
  });
});

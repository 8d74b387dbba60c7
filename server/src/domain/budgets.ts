/**
 * Budgets: a spending limit per project, workspace or user, per day or per month. A warning goes out at
 * 80 % of a budget, and at 100 % new runs are refused and running ones stop, like a task's cost cap.
 * Pure: the caller hands in what each budget's scope spent in its current period before the run.
 */

export type BudgetScope = 'project' | 'workspace' | 'user';
export type BudgetPeriod = 'day' | 'month';

/** The share of a budget at which its warning goes out. */
export const WARN_FRACTION = 0.8;

export interface BudgetLimit {
  id: string;
  scope: BudgetScope;
  /** The project's or workspace's name, or the user's id: how the budget is named to people. */
  name: string;
  period: BudgetPeriod;
  limitUsd: number;
  /** What its scope spent in the current period before this run. */
  spentUsd: number;
  /** The current period (`2026-12-04` or `2026-12`), so each alert is sent once per period. */
  periodKey: string;
}

/** "the workspace team's daily budget of $5". */
export function budgetLabel(b: BudgetLimit): string {
  const whose = b.scope === 'user' ? `user ${b.name}'s` : `the ${b.scope} ${b.name}'s`;
  return `${whose} ${b.period === 'day' ? 'daily' : 'monthly'} budget of $${b.limitUsd}`;
}

/**
 * The budget this run's spend reaches, or null.
 * Rules: a budget is reached when its spend, this run included, is at or above its limit; of several, the
 * one with the least room left is named (the tightest binds).
 */
export function reachedBudget(limits: readonly BudgetLimit[], runUsd: number): BudgetLimit | null {
  let worst: BudgetLimit | null = null;
  for (const b of limits) {
    if (b.spentUsd + runUsd < b.limitUsd) continue;
    if (!worst || b.limitUsd - b.spentUsd < worst.limitUsd - worst.spentUsd) worst = b;
  }
  return worst;
}

/** The budgets whose spend, this run included, is at or past their warning share. */
export function budgetsToWarn(limits: readonly BudgetLimit[], runUsd: number): BudgetLimit[] {
  return limits.filter((b) => b.spentUsd + runUsd >= b.limitUsd * WARN_FRACTION);
}

/** "used 82 % of the project api's daily budget of $5 ($4.10)". */
export function warningText(b: BudgetLimit, runUsd: number): string {
  const spent = b.spentUsd + runUsd;
  const share = Math.floor((spent / b.limitUsd) * 100);
  return `used ${share} % of ${budgetLabel(b)} ($${spent.toFixed(2)})`;
}

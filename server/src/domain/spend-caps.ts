/**
 * Spending caps: the task's own (`--max-cost`) and its project's per day and per month. Checked before
 * every run and on every cost update during one, so spend stops at a cap plus at most the turn in flight.
 * Budgets (per project, workspace or user; budgets.ts) bind the same way.
 */
import { budgetLabel, reachedBudget, type BudgetLimit } from './budgets.js';

export interface SpendCaps {
  taskUsd: number | null;
  projectPerDayUsd: number | null;
  projectPerMonthUsd: number | null;
  /** The budgets that apply to the task's runs, with what their scopes spent before this run. */
  budgets?: BudgetLimit[];
}

export interface Spend {
  /** What the task had spent before this run, and this run so far. */
  taskUsd: number;
  /** What the project's other runs spent today and this month (read before this run, then while it goes). */
  projectDayUsd: number;
  projectMonthUsd: number;
  /** This run's cost so far. */
  runUsd: number;
}

/**
 * The cap that is reached, with a sentence for the task, or null.
 * Rules: a cap is reached when the spend it covers, this run included, is at or above it; the task's cap
 * is named first, then the project's daily cap, then its monthly cap, then the tightest budget.
 */
export function reachedCap(caps: SpendCaps, spend: Spend): string | null {
  if (caps.taskUsd !== null && spend.taskUsd + spend.runUsd >= caps.taskUsd) {
    return `stopped at the task's cost cap of $${caps.taskUsd}`;
  }
  if (caps.projectPerDayUsd !== null && spend.projectDayUsd + spend.runUsd >= caps.projectPerDayUsd) {
    return `stopped at the project's daily cost cap of $${caps.projectPerDayUsd}`;
  }
  if (caps.projectPerMonthUsd !== null && spend.projectMonthUsd + spend.runUsd >= caps.projectPerMonthUsd) {
    return `stopped at the project's monthly cost cap of $${caps.projectPerMonthUsd}`;
  }
  const budget = reachedBudget(caps.budgets ?? [], spend.runUsd);
  if (budget) return `stopped at ${budgetLabel(budget)}`;
  return null;
}

/**
 * Money and rules as the server answers them: the cost report, budgets with what they spent, policies by
 * scope (issue 13). Types only; the requests are in `api.ts`.
 */
import type { PolicyDto } from './api.js';

export interface CostRow {
  key: string;
  label: string;
  costUsd: number;
  runs: number;
  /** With `by=day_model`: the day and the model of the row (the chart's series). */
  day?: string;
  model?: string;
}

export interface CostReport {
  today: number;
  week: number;
  month: number;
  total: number;
  by?: 'day' | 'project' | 'task' | 'model' | 'day_model' | 'user';
  rows?: CostRow[];
  /** Models seen in usage that the pricing table does not know (their live cost was not estimated). */
  unpricedModels: string[];
}

/** A budget with what its scope spent in the current period (issue 13). */
export interface BudgetDto {
  id: string;
  scope: 'project' | 'workspace' | 'user';
  /** The project's or workspace's name, or the user's id. */
  name: string;
  period: 'day' | 'month';
  limitUsd: number;
  spentUsd: number;
  /** What is spent, as a share of the limit (0.82 = 82 %). */
  used: number;
}

/** A policy set on a workspace or a project, and the policy that applies there (issue 13). */
export interface PolicyEntryDto {
  scope: 'workspace' | 'project';
  name: string;
  policy: PolicyDto;
  updatedAt: string;
}

/**
 * The Costs page's numbers: spend per day split by model (for the chart) and the drill-down
 * workspace → project → task with each task's model and cost.
 */
import type { TaskDto } from '../../../../shared/api.js';
import type { CostRow } from '../../../../shared/governance-dto.js';

export interface DaySeries {
  days: string[];
  models: string[];
  /** cost[dayIndex][modelIndex] */
  cost: number[][];
  max: number;
}

/** The last `span` days ending today (YYYY-MM-DD, local time), oldest first. */
export function lastDays(span: number, now = new Date()): string[] {
  const out: string[] = [];
  for (let i = span - 1; i >= 0; i -= 1) {
    const d = new Date(now.getFullYear(), now.getMonth(), now.getDate() - i);
    out.push(
      `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`,
    );
  }
  return out;
}

/** Stacks the day × model rows of `costs('day_model')` into a series over `days` (no spend is zero). */
export function toSeries(
  rows: readonly Pick<CostRow, 'day' | 'model' | 'costUsd'>[],
  days: readonly string[],
): DaySeries {
  const models = [...new Set(rows.flatMap((r) => (r.model ? [r.model] : [])))].sort();
  const cost = days.map(() => models.map(() => 0));
  for (const r of rows) {
    const d = r.day ? days.indexOf(r.day) : -1;
    if (d >= 0 && r.model) cost[d]![models.indexOf(r.model)]! += r.costUsd;
  }
  const max = Math.max(0, ...cost.map((row) => row.reduce((a, b) => a + b, 0)));
  return { days: [...days], models, cost, max };
}

export interface TreeNode {
  key: string;
  label: string;
  costUsd: number;
  model?: string;
  children: TreeNode[];
}

/**
 * Workspace → project → task, each level ordered by cost, most expensive first.
 * Rules: a task's cost is what the server reports for it (all its runs); tasks without spend are left out.
 */
export function costTree(tasks: readonly TaskDto[]): TreeNode[] {
  const workspaces = new Map<string, Map<string, TaskDto[]>>();
  for (const t of tasks) {
    if (t.costUsd <= 0) continue;
    const projects = workspaces.get(t.workspace || 'default') ?? new Map<string, TaskDto[]>();
    workspaces.set(t.workspace || 'default', projects);
    projects.set(t.project, [...(projects.get(t.project) ?? []), t]);
  }
  const byCost = (a: TreeNode, b: TreeNode) => b.costUsd - a.costUsd;
  const sum = (nodes: TreeNode[]) => nodes.reduce((s, n) => s + n.costUsd, 0);
  return [...workspaces.entries()]
    .map(([w, projects]) => {
      const children = [...projects.entries()]
        .map(([p, list]) => {
          const leaves = list
            .map((t) => ({ key: t.id, label: t.title, costUsd: t.costUsd, model: t.model, children: [] }))
            .sort(byCost);
          return { key: `${w}/${p}`, label: p, costUsd: sum(leaves), children: leaves };
        })
        .sort(byCost);
      return { key: w, label: w, costUsd: sum(children), children };
    })
    .sort(byCost);
}

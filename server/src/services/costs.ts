/**
 * Cost reports: today / this week (from Monday) / this month, and a breakdown by day, project, task, model
 * or user.
 */
import type { CostReport } from '../../../shared/governance-dto.js';
import type { Storage } from '../storage/index.js';
import { createRunUsersRepo } from '../storage/run-users-repo.js';

const day = (d: Date) =>
  `${d.getFullYear()}-${String(d.getMonth() + 1).padStart(2, '0')}-${String(d.getDate()).padStart(2, '0')}`;

/** The first day of today's week (Monday) and month, as local YYYY-MM-DD. */
export function periodStarts(now: Date): { today: string; week: string; month: string } {
  const monday = new Date(now);
  monday.setDate(now.getDate() - ((now.getDay() + 6) % 7));
  return { today: day(now), week: day(monday), month: day(new Date(now.getFullYear(), now.getMonth(), 1)) };
}

export function createCosts(storage: Storage, unpricedModels: () => string[]) {
  return {
    /** The report of every workspace, or of `workspaces` only (a caller sees its own workspaces' costs). */
    async report(
      by?: CostReport['by'],
      workspaces: readonly string[] | null = null,
      now = new Date(),
    ): Promise<CostReport> {
      const p = periodStarts(now);
      const ids = workspaces
        ? (await storage.projects.list()).filter((x) => workspaces.includes(x.workspace)).map((x) => x.id)
        : undefined;
      const [today, week, month, total] = await Promise.all([
        storage.costs.total(p.today, ids),
        storage.costs.total(p.week, ids),
        storage.costs.total(p.month, ids),
        storage.costs.total(undefined, ids),
      ]);
      const report: CostReport = { today, week, month, total, unpricedModels: unpricedModels() };
      if (by) {
        report.by = by;
        // By user: the runs a user started (budgets and reports by user; runs without a user are left out).
        const rows =
          by === 'user'
            ? await createRunUsersRepo(storage.db).costByUser(ids)
            : await storage.costs.groupBy(by, ids);
        report.rows = rows.map((r) => ({
          ...r,
          costUsd: Number(r.costUsd),
          runs: Number(r.runs),
        }));
      }
      return report;
    },
  };
}

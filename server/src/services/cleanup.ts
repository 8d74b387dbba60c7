/**
 * Cleanup without loss: `prune` (on demand) and the periodic sweep remove task worktrees that hold
 * nothing unique (see domain/sweep-policy.ts), and `reconcile` (at startup) lines the database up with
 * `git worktree list`. Branches are never deleted; a removed worktree is recreated from its branch when
 * its task resumes.
 */
import { readdir } from 'node:fs/promises';
import path from 'node:path';
import type { PruneReportDto } from '../../../shared/review-dto.js';
import { git } from '../runner/git.js';
import { sweepRepository, type SweepReport } from '../runner/worktree-sweep.js';
import { canonicalPath, listWorktrees } from '../runner/worktrees.js';
import type { Storage } from '../storage/index.js';
import type { EventLog } from './event-log.js';
import type { TaskState } from './task-state.js';
import { repeatEvery } from './repeat.js';

export interface CleanupDeps {
  home: string;
  storage: Storage;
  state: TaskState;
  events: EventLog;
  isActive(taskId: string): boolean;
  log: (msg: string, err?: unknown) => void;
}

export interface ReconcileReport {
  /** Tasks whose worktree is gone (recreated from the branch on resume). */
  missing: string[];
  /** Stale registrations dropped (their directories were already gone). */
  forgotten: string[];
  /** Directories in Gluon's worktree folder that no repository knows: reported, never deleted. */
  orphans: string[];
}

export function createCleanup(deps: CleanupDeps) {
  const { storage } = deps;
  const worktreesDir = path.join(deps.home, 'worktrees');

  async function sweepAll(minIdleMs: number): Promise<PruneReportDto> {
    const out: PruneReportDto = { removed: [], kept: [], forgotten: [] };
    for (const project of await storage.projects.list()) {
      let report: SweepReport;
      try {
        report = await sweepRepository({
          repo: project.path,
          baseBranch: project.defaultBranch,
          worktreesDir,
          minIdleMs,
          findTask: async (id) => (await storage.tasks.findById(id)) ?? null,
          isActive: deps.isActive,
        });
      } catch (error) {
        deps.log(`sweeping the worktrees of ${project.name} failed`, error);
        continue;
      }
      for (const e of [...report.removed, ...report.forgotten]) {
        if (e.taskId && (await storage.tasks.findById(e.taskId))) {
          await deps.state.update(e.taskId, { worktreePath: null });
          const kept = e.snapshot ? `; uncommitted work kept in ${e.snapshot}` : '';
          await deps.events.emit(e.taskId, {
            type: 'notice',
            data: { message: `worktree removed by cleanup (branch ${e.branch} kept${kept})` },
          });
        }
      }
      out.removed.push(
        ...report.removed.map((e) => ({
          taskId: e.taskId,
          path: e.path,
          branch: e.branch,
          snapshot: e.snapshot ?? null,
        })),
      );
      out.forgotten.push(...report.forgotten.map((e) => ({ taskId: e.taskId, path: e.path })));
      for (const e of report.kept) {
        if (e.decision.reason === 'main_worktree' || e.decision.reason === 'not_ours') continue;
        out.kept.push({
          taskId: e.taskId,
          path: e.path,
          branch: e.branch,
          reason: e.refused ? `git refused: ${e.refused}` : e.decision.reason,
        });
      }
    }
    return out;
  }

  return {
    /** Removes every task worktree the policy allows now (no minimum idle time). */
    prune: () => sweepAll(0),

    /** The periodic sweep: like prune, but only for tasks finished at least `minIdleMs` ago. */
    sweep: (minIdleMs: number) => sweepAll(minIdleMs),

    /**
     * Startup reconciliation. Rules: a task whose worktree is neither on disk nor registered loses its
     * `worktreePath` (the next run recreates it from the branch); a registration whose directory is gone
     * and lies in Gluon's folder is dropped; unknown directories in Gluon's folder are only reported.
     */
    async reconcile(): Promise<ReconcileReport> {
      const report: ReconcileReport = { missing: [], forgotten: [], orphans: [] };
      const registered = new Set<string>();
      for (const project of await storage.projects.list()) {
        let worktrees;
        try {
          worktrees = await listWorktrees(project.path);
        } catch (error) {
          deps.log(`cannot list the worktrees of ${project.name}`, error);
          continue;
        }
        for (const wt of worktrees) {
          registered.add(canonicalPath(wt.path));
          if (wt.prunable && canonicalPath(wt.path).startsWith(canonicalPath(worktreesDir) + path.sep)) {
            await git(project.path, ['worktree', 'remove', '--', wt.path]);
            report.forgotten.push(wt.path);
          }
        }
        const live = new Set(worktrees.filter((w) => !w.prunable).map((w) => canonicalPath(w.path)));
        for (const task of await storage.tasks.list({ projectId: project.id })) {
          if (!task.worktreePath || live.has(canonicalPath(task.worktreePath)) || deps.isActive(task.id))
            continue;
          if (task.status === 'running') continue; // recovery settles it first
          await deps.state.update(task.id, { worktreePath: null });
          report.missing.push(task.id);
        }
      }
      const entries = await readdir(worktreesDir, { withFileTypes: true }).catch(() => []);
      for (const entry of entries) {
        const full = path.join(worktreesDir, entry.name);
        if (entry.isDirectory() && !registered.has(canonicalPath(full))) report.orphans.push(full);
      }
      if (report.missing.length || report.forgotten.length || report.orphans.length)
        deps.log(
          `worktrees reconciled: ${report.missing.length} missing, ${report.forgotten.length} stale registrations dropped, ${report.orphans.length} unknown directories left alone`,
        );
      return report;
    },

    /** Sweeps every `intervalMs` (tasks finished at least `minIdleMs` ago) until the returned function is called. */
    startSweeper(intervalMs: number, minIdleMs: number): () => void {
      return repeatEvery(
        intervalMs,
        () => sweepAll(minIdleMs),
        (error) => deps.log('worktree sweep failed', error),
      );
    },
  };
}

export type Cleanup = ReturnType<typeof createCleanup>;

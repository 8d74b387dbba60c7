/**
 * The sweep executor: gathers the facts about each worktree of a repository from git, asks the pure
 * policy (domain/sweep-policy.ts), and removes what it allows — under the repository lock, after checking
 * again, after a snapshot ref of anything uncommitted, with `git worktree remove` and never `--force`.
 */
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { TaskStatus } from '../../../shared/api.js';
import { decideSweep, type SweepDecision, type WorktreeFacts } from '../domain/sweep-policy.js';
import { git } from './git.js';
import { countUnmerged, taskIdOfBranch } from './git-refs.js';
import { withRepoLock } from './repo-lock.js';
import { snapshotUncommitted } from './snapshots.js';
import {
  canonicalPath,
  changedFiles,
  listWorktrees,
  removeWorktree,
  type WorktreeInfo,
} from './worktrees.js';

export interface SweepTask {
  id: string;
  status: TaskStatus;
  finishedAt: string | null;
}

export interface SweepOptions {
  repo: string;
  baseBranch: string;
  /** `<GLUON_HOME>/worktrees`: nothing outside it is ever touched. */
  worktreesDir: string;
  minIdleMs: number;
  /** Reads a task fresh; called again right before a removal. */
  findTask(taskId: string): Promise<SweepTask | null>;
  isActive(taskId: string): boolean;
  now?: () => number;
}

export interface SweepEntry {
  path: string;
  branch: string | null;
  taskId: string | null;
  decision: SweepDecision;
  /** The snapshot ref taken before removal, when there was uncommitted work. */
  snapshot?: string;
  /** Why git refused a removal the policy allowed. */
  refused?: string;
}

export interface SweepReport {
  removed: SweepEntry[];
  forgotten: SweepEntry[];
  kept: SweepEntry[];
}

async function gatherFacts(
  o: SweepOptions,
  wt: WorktreeInfo,
  main: boolean,
  deep: boolean,
): Promise<WorktreeFacts> {
  const root = canonicalPath(o.worktreesDir);
  const taskId = taskIdOfBranch(wt.branch);
  const task = taskId ? await o.findTask(taskId) : null;
  const now = (o.now ?? Date.now)();
  let idleMs: number | null = null;
  if (task?.finishedAt) idleMs = now - Date.parse(task.finishedAt);
  else if (taskId && !task)
    idleMs = await stat(wt.path).then(
      (s) => now - s.mtimeMs,
      () => null,
    );
  const facts: WorktreeFacts = {
    main,
    insideGluonDir: canonicalPath(wt.path).startsWith(root + path.sep),
    prunable: wt.prunable,
    locked: wt.locked,
    taskId,
    status: task?.status ?? null,
    active: taskId !== null && o.isActive(taskId),
    idleMs,
    dirty: false,
    unmergedCommits: 0,
  };
  if (!deep) return facts;
  facts.dirty = (await changedFiles(wt.path)).length > 0;
  facts.unmergedCommits = await countUnmerged(
    o.repo,
    `refs/heads/${wt.branch}`,
    `refs/heads/${o.baseBranch}`,
  );
  return facts;
}

/** The decision with the cheap facts first; git status and rev-list only when they could change it. */
async function decide(o: SweepOptions, wt: WorktreeInfo, main: boolean): Promise<SweepDecision> {
  const shallow = decideSweep(await gatherFacts(o, wt, main, false), o.minIdleMs);
  if (shallow.action !== 'remove') return shallow;
  return decideSweep(await gatherFacts(o, wt, main, true), o.minIdleMs);
}

/** Sweeps the worktrees of one repository; see `decideSweep` for the rules. */
export async function sweepRepository(o: SweepOptions): Promise<SweepReport> {
  const report: SweepReport = { removed: [], forgotten: [], kept: [] };
  const worktrees = await listWorktrees(o.repo);
  for (const [index, wt] of worktrees.entries()) {
    const entry: SweepEntry = {
      path: wt.path,
      branch: wt.branch,
      taskId: taskIdOfBranch(wt.branch),
      decision: await decide(o, wt, index === 0),
    };
    if (entry.decision.action === 'keep') {
      report.kept.push(entry);
      continue;
    }
    await withRepoLock(o.repo, async () => {
      // Facts may have changed while other worktrees were looked at (a resume, a new file): look again.
      entry.decision = await decide(o, wt, index === 0);
      if (entry.decision.action === 'forget') {
        await git(o.repo, ['worktree', 'remove', '--', wt.path]);
        report.forgotten.push(entry);
        return;
      }
      if (entry.decision.action === 'keep') return void report.kept.push(entry);
      const snapshot = await snapshotUncommitted(wt.path, entry.taskId!);
      if (snapshot) entry.snapshot = snapshot.ref;
      const removed = await removeWorktree({ repo: o.repo, path: wt.path });
      if (removed.ok) report.removed.push(entry);
      else {
        entry.refused = removed.error.message;
        report.kept.push(entry);
      }
    });
  }
  return report;
}

/**
 * Where a task's agent works: its own worktree on `gluon-task/<id>` (created on first use, or again from
 * its branch if it went missing), or the project's checkout when the task opted out. After each run,
 * whatever the agent left is committed on the task's branch.
 */
import { existsSync } from 'node:fs';
import path from 'node:path';
import type { Config } from '../config.js';
import { commitAll, createWorktree } from '../runner/worktrees.js';
import type { Storage } from '../storage/index.js';
import type { TaskPatch, TaskRecord } from '../storage/tasks-repo.js';
import type { EventLog } from './event-log.js';

export function createWorkspaces(deps: { config: Config; storage: Storage; events: EventLog }) {
  return {
    /** The directory the agent works in, and what the task must record about it. */
    async prepare(task: TaskRecord): Promise<{ cwd: string; patch: TaskPatch }> {
      const project = await deps.storage.projects.findById(task.projectId);
      if (!project) throw new Error('the task’s project no longer exists');
      if (!task.useWorktree) return { cwd: project.path, patch: {} };
      if (task.worktreePath && existsSync(task.worktreePath)) return { cwd: task.worktreePath, patch: {} };
      const wtPath = task.worktreePath ?? path.join(deps.config.home, 'worktrees', `wt-${task.id}`);
      const branch = task.branch ?? `gluon-task/${task.id}`;
      const wt = await createWorktree({
        repo: project.path,
        path: wtPath,
        branch,
        baseRef: task.baseSha ?? task.baseBranch,
      });
      return {
        cwd: wt.path,
        patch: { worktreePath: wt.path, branch: wt.branch, baseSha: task.baseSha ?? wt.baseSha },
      };
    },

    /** Commits what the run left on the task's branch; a failure is reported on the task, never thrown. */
    async commitRun(task: TaskRecord, runId: string, cwd: string): Promise<void> {
      if (!task.useWorktree) return;
      try {
        const result = await commitAll({
          cwd,
          message: `${task.title}\n\nWork of Gluon task ${task.id} (run ${runId}).`,
          trailers: { 'Gluon-Task': task.id },
        });
        if (result.committed) {
          await deps.events.emit(task.id, {
            type: 'git.committed',
            runId,
            data: { sha: result.sha, message: task.title, files: result.files },
          });
        }
      } catch (err) {
        await deps.events.emit(task.id, {
          type: 'run.error',
          runId,
          data: {
            message: `committing the agent's work failed: ${(err as Error).message}`,
            retryable: false,
          },
        });
      }
    },
  };
}

export type Workspaces = ReturnType<typeof createWorkspaces>;

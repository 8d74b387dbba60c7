/**
 * Work that waits for other work: `--after` (start once every named task reaches review or done) and
 * `--on` (also start from that task's branch). The queue itself skips blocked tasks (tasks-repo
 * `listQueued`); this service checks and records dependencies and says why a task is blocked.
 */
import type { TaskDto } from '../../../shared/api.js';
import { findCycle, waitState } from '../domain/dependencies.js';
import { AppError, conflict, notFound } from '../errors.js';
import type { Storage } from '../storage/index.js';
import type { TaskDependenciesRepo } from '../storage/task-dependencies-repo.js';
import type { TaskRecord } from '../storage/tasks-repo.js';

export interface DependencyPlan {
  after: string[];
  /** The branch to start from (`--on`), or null for the project's default branch. */
  baseBranch: string | null;
}

export type DependencyView = Pick<TaskDto, 'waitsFor' | 'blocked'>;

export function createTaskDependencies(deps: {
  storage: Storage;
  repo: TaskDependenciesRepo;
  /** Tells the board a task changed (what it waits for shows on its card). */
  announce?: (taskId: string) => Promise<unknown>;
}) {
  async function find(idOrPrefix: string): Promise<TaskRecord> {
    const exact = await deps.storage.tasks.findById(idOrPrefix);
    if (exact) return exact;
    const ids = await deps.storage.tasks.idsByPrefix(idOrPrefix);
    if (ids.length > 1) throw conflict('ambiguous_id', `task id ${idOrPrefix} is ambiguous`);
    const found = ids[0] ? await deps.storage.tasks.findById(ids[0]) : undefined;
    if (!found) throw notFound(`task ${idOrPrefix}`);
    return found;
  }

  return {
    /**
     * What a new task of `projectId` will wait for, and where it starts.
     * Rules: every id names a task (404); `on` must be a task of the same project with a branch of its own
     * (422 `bad_dependency`), and is waited for too; duplicates count once.
     */
    async plan(input: { after?: string[]; on?: string }, projectId: string): Promise<DependencyPlan | null> {
      if (!input.after?.length && !input.on) return null;
      const after = await Promise.all((input.after ?? []).map(find));
      let baseBranch: string | null = null;
      if (input.on) {
        const on = await find(input.on);
        if (on.projectId !== projectId || !on.useWorktree)
          throw new AppError(
            422,
            'bad_dependency',
            `--on needs a task of the same project that has its own branch`,
          );
        baseBranch = `gluon-task/${on.id}`;
        after.push(on);
      }
      return { after: [...new Set(after.map((t) => t.id))], baseBranch };
    },

    /** Records what a task just created waits for (before the queue is kicked). */
    record: (taskId: string, after: readonly string[]) => deps.repo.add(taskId, after),

    /**
     * Makes a queued task wait for more tasks (a card dropped onto another).
     * Rules: only a queued task (409 `task_not_queued`); a dependency that would close a cycle is refused
     * (409 `dependency_cycle`, naming it).
     */
    async add(idOrPrefix: string, after: readonly string[]): Promise<void> {
      const task = await find(idOrPrefix);
      if (task.status !== 'queued')
        throw conflict('task_not_queued', `the task is ${task.status}, not queued`);
      const ids = (await Promise.all(after.map(find))).map((t) => t.id);
      const cycle = findCycle(await deps.repo.edges(), task.id, ids);
      if (cycle) throw conflict('dependency_cycle', `that would make a cycle: ${cycle.join(' → ')}`);
      await deps.repo.add(task.id, ids);
      await deps.announce?.(task.id);
    },

    /** The tasks that wait for `taskId` (their blocked reason changes with its status). */
    dependentsOf: (taskId: string) => deps.repo.dependentsOf(taskId),

    /** For each task: what it waits for, and why it is blocked (null when it is not). */
    async views(taskIds: readonly string[]): Promise<Map<string, DependencyView>> {
      const all = await deps.repo.listFor(taskIds);
      const out = new Map<string, DependencyView>();
      for (const [taskId, list] of all) {
        const state = waitState(list);
        out.set(taskId, { waitsFor: list, blocked: state.blocked ? state.reason : null });
      }
      return out;
    },
  };
}

export type TaskDependencies = ReturnType<typeof createTaskDependencies>;

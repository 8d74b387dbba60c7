/**
 * Governance (issue 13): budgets and policies, applied where work starts. A task's creation and each
 * resume pass `admitTask` / `admitRun`; the runs report their spend to the budgets and pass each tool
 * call through the policy's gate; each commit drops changes to protected paths.
 *
 * Who: an optional user id, given by the caller's identity once users exist (the team layer's actor).
 * Without one (single-user mode) only project and workspace budgets apply.
 */
import type { CreateTaskBody } from '../../../../shared/api.js';
import type { ProjectRecord } from '../../storage/projects-repo.js';
import type { Storage } from '../../storage/index.js';
import type { TaskRecord } from '../../storage/tasks-repo.js';
import { createRunUsersRepo } from '../../storage/run-users-repo.js';
import type { Notifier } from '../notifications.js';
import type { Metrics } from '../observability/metrics.js';
import { createBudgets } from './budgets.js';
import { createPolicies } from './policies.js';
import { checkSandboxFor, defaultApproval } from './sandbox.js';
import type { AgentSandbox } from '../../runner/claude-options.js';

/** Who asks: a user id when the caller is known. */
export interface Actor {
  userId?: string | null;
}

export interface GovernanceDeps {
  storage: Storage;
  notifier: Notifier;
  metrics: Metrics;
  log: (msg: string, err?: unknown) => void;
  /** The agents' sandbox: where it cannot start, `auto` is refused (sandbox.ts). */
  sandbox?: AgentSandbox;
}

export function createGovernance(deps: GovernanceDeps) {
  const budgets = createBudgets(deps);
  const policies = createPolicies(deps);
  const runUsers = createRunUsersRepo(deps.storage.db);
  return {
    budgets,
    policies,

    /** The approval policy of a task that asks for none (sandbox.ts). */
    defaultApproval: () => defaultApproval(deps.sandbox),

    /**
     * Checks a new task against the policies (refused: 403 `policy_denied`), the sandbox (409
     * `sandbox_unavailable`) and the budgets (409 `budget_exceeded`); returns the body it is created with
     * (approval and cost cap as the policy says).
     */
    async admitTask<B extends CreateTaskBody>(body: B, project: ProjectRecord, actor?: Actor): Promise<B> {
      const allowed = await policies.admitTask(body, project);
      checkSandboxFor(deps.sandbox, allowed.approval ?? 'auto');
      await budgets.admit(project, actor?.userId ?? undefined);
      return allowed;
    },

    /** The protected path globs of a task's project (checked again before each commit). */
    protectedPaths: async (task: Pick<TaskRecord, 'projectId'>) =>
      (await policies.forTask(task)).protectedPaths ?? [],

    /** Records who created the task (after its row exists). */
    async taskCreated(taskId: string, actor?: Actor): Promise<void> {
      await budgets.recordTaskUser(taskId, actor?.userId ?? undefined);
    },

    /**
     * Checks another run of a task (a resume, an answer, an approval): the budgets of its project, its
     * workspace and the user who asks (else the one who started it) must not be spent.
     */
    async admitRun(task: TaskRecord, actor?: Actor): Promise<void> {
      const project = await deps.storage.projects.findById(task.projectId);
      if (!project) return;
      await policies.admitRun(task);
      checkSandboxFor(deps.sandbox, task.approval);
      const userId = actor?.userId ?? (await runUsers.taskUser(task.id)) ?? undefined;
      await budgets.admit(project, userId);
      if (actor?.userId) await budgets.recordTaskUser(task.id, actor.userId);
    },
  };
}

export type Governance = ReturnType<typeof createGovernance>;

/**
 * What a user can do to tasks, from any surface: create, find, move, cancel, resume, answer, approve, deny.
 * Status changes go through TaskState; runs are started by the scheduler and stopped through Runs. Creation
 * (validation, mode choice, attachments) is in task-create.ts.
 */
import type { TaskDependencies } from './task-dependencies.js';
import type { TaskStatus } from '../../../shared/api.js';
import type { Config } from '../config.js';
import { isResumable, userMoveCause } from '../domain/task-status.js';
import { AppError, conflict, invalidTransition, notFound } from '../errors.js';
import { nowIso } from '../ids.js';
import { createTaskCreate } from './task-create.js';
import type { Storage } from '../storage/index.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import type { EventLog } from './event-log.js';
import type { InputRequests } from './input-requests.js';
import type { Projects } from './projects.js';
import type { Runs } from './runs/index.js';
import type { Scheduler } from './scheduler.js';
import type { TaskState } from './task-state.js';
import type { FormulaCatalog } from '../formulas/formula-store.js';
import type { DriverFor } from './modes/index.js';
import type { Resumption } from './modes/mode-driver.js';
import type { Notifier } from './notifications.js';
import type { Attachments } from './attachments.js';
import type { AgentRegistry } from '../runner/agent.js';
import type { Actor as BudgetActor, Governance } from './governance/index.js';

export interface TasksDeps {
  config: Config;
  attachments: Attachments;
  driverFor: DriverFor;
  formulas: FormulaCatalog;
  notifier: Notifier;
  storage: Storage;
  events: EventLog;
  state: TaskState;
  projects: Projects;
  /** Stops runs (here, or by command to the worker that runs them). */
  runs: Pick<Runs, 'stop'>;
  scheduler: Pick<Scheduler, 'kick' | 'startNow'>;
  /** Settles what a live agent waits for (here, or on its worker). */
  inputs: Pick<InputRequests, 'settle'>;
  agents: AgentRegistry;
  /** Tasks that wait for others (`after`, `on`); absent: those fields are refused. */
  dependencies?: Pick<TaskDependencies, 'plan' | 'record'>;
  /** Budgets and policies, checked where work starts. */
  governance?: Pick<Governance, 'admitTask' | 'taskCreated' | 'admitRun' | 'defaultApproval'>;
  log: (msg: string, err?: unknown) => void;
}

export function createTasks(deps: TasksDeps) {
  const { storage, state, runs, scheduler, inputs } = deps;
  // A failed pass leaves the task queued; the next kick (a run ending, a new task, a restart) starts it.
  const logKickFailure = (err: unknown) => deps.log('could not start queued tasks', err);

  /** Finds a task by id or unique prefix (4+ characters). */
  async function get(idOrPrefix: string): Promise<TaskRecord> {
    const exact = await storage.tasks.findById(idOrPrefix);
    if (exact) return exact;
    const ids = await storage.tasks.idsByPrefix(idOrPrefix);
    if (ids.length === 0) throw notFound(`task ${idOrPrefix}`);
    if (ids.length > 1)
      throw conflict('ambiguous_id', `${idOrPrefix} matches several tasks; give more characters`);
    return (await storage.tasks.findById(ids[0]!))!;
  }

  /** Queues a settled task to run again as its mode says (its session, its next step, a new iteration). */
  async function requeue(
    task: TaskRecord,
    next: Resumption,
    reason: string,
    actor?: BudgetActor,
  ): Promise<TaskRecord> {
    if (!isResumable(task.status)) throw invalidTransition(`a ${task.status} task cannot be resumed`);
    if (next.run !== false) await deps.governance?.admitRun(task, actor);
    const modeState = next.modeState !== undefined ? { modeState: next.modeState } : {};
    if (next.run === false) {
      return state.update(task.id, {
        ...modeState,
        inputRequired: false,
        pendingInput: null,
        stopReason: 'completed',
      });
    }
    const queued = await state.transition(
      task,
      'queued',
      'resume',
      {
        ...modeState,
        nextPrompt: next.prompt,
        inputRequired: false,
        pendingInput: null,
        queuedAt: nowIso(),
        stopReason: null,
        error: null,
      },
      reason,
    );
    scheduler.kick().catch(logKickFailure);
    return queued;
  }

  return {
    get,
    create: createTaskCreate(deps, logKickFailure),
    runs: (taskId: string) => storage.runs.listByTask(taskId),

    async list(filter: { status?: TaskStatus; project?: string }): Promise<TaskRecord[]> {
      let projectId: string | undefined;
      if (filter.project) {
        const p = await deps.projects.find(filter.project);
        if (!p) throw notFound(`project ${filter.project}`);
        projectId = p.id;
      }
      return storage.tasks.list({ status: filter.status, projectId });
    },

    /** A user's move on the board or `gluon move`: only the moves that mean something. */
    async move(idOrPrefix: string, to: TaskStatus): Promise<TaskRecord> {
      const task = await get(idOrPrefix);
      const move = userMoveCause(task.status, to);
      if (!move.ok) throw invalidTransition(move.message);
      switch (move.cause) {
        case 'start':
          await scheduler.startNow(task.id);
          return get(task.id);
        case 'pause':
          await runs.stop(task.id, 'paused');
          return get(task.id);
        case 'cancel':
          return this.cancel(task.id);
        case 'resume':
          return requeue(
            task,
            deps.driverFor(task).resume(task, 'Continue the task.'),
            'moved back to the queue',
          );
        case 'accept':
          return state.transition(
            task,
            'done',
            'accept',
            { inputRequired: false, pendingInput: null },
            'accepted',
          );
        case 'reopen':
          return state.transition(task, 'review', 'reopen', {}, 'reopened');
        case 'run_ended':
        case 'run_failed':
        case 'recover':
          throw invalidTransition(`a task cannot be moved to ${to} by hand`);
      }
    },

    /**
     * Cancels a task. Rules: a running agent is stopped (its work kept); otherwise the status moves to
     * `cancelled`; when the queue started the task meanwhile (`status_changed`), the cancel looks again.
     */
    async cancel(idOrPrefix: string): Promise<TaskRecord> {
      for (let attempt = 1; ; attempt += 1) {
        const task = await get(idOrPrefix);
        if (task.status === 'running' && (await runs.stop(task.id, 'cancelled'))) return get(task.id);
        try {
          return await state.transition(
            task,
            'cancelled',
            'cancel',
            { stopReason: 'cancelled', finishedAt: nowIso(), inputRequired: false, pendingInput: null },
            'cancelled by the user',
          );
        } catch (err) {
          if (attempt >= 3 || !(err instanceof AppError && err.code === 'status_changed')) throw err;
        }
      }
    },

    async resume(idOrPrefix: string, feedback: string, actor?: BudgetActor): Promise<TaskRecord> {
      const task = await get(idOrPrefix);
      if (task.status === 'running' || task.status === 'queued')
        throw conflict('task_active', `the task is ${task.status}; resume it once it stops`);
      return requeue(task, deps.driverFor(task).resume(task, feedback), 'resumed with feedback', actor);
    },

    /**
     * Answers the task's question.
     * Rules: a live question (the agent waits) gets the answer at once; otherwise the answer resumes the
     * session; a task with no question is a 409.
     */
    async answer(idOrPrefix: string, text: string): Promise<TaskRecord> {
      const task = await get(idOrPrefix);
      if (await inputs.settle(task.id, 'question', { kind: 'answer', text })) return get(task.id);
      const pending = task.pendingInput;
      if (!pending || pending.kind !== 'question')
        throw conflict('no_question', 'the task is not waiting for an answer');
      const asked = pending.text ?? pending.questions?.map((q) => q.question).join(' / ') ?? '';
      const answer = `The user answered your question${asked ? ` ("${asked}")` : ''}:\n\n${text}`;
      return requeue(task, deps.driverFor(task).resume(task, answer), 'answered');
    },

    /** Approves the live tool call the task waits on, or what its mode holds (a plan, a gated step). */
    async approve(idOrPrefix: string): Promise<TaskRecord> {
      const task = await get(idOrPrefix);
      if (await inputs.settle(task.id, 'approval', { kind: 'approve' })) return get(task.id);
      const held = task.status === 'review' ? deps.driverFor(task).approveHeld?.(task) : null;
      if (!held) throw conflict('no_approval', 'the task has nothing waiting for approval');
      return requeue(task, held, 'approved');
    },

    async deny(idOrPrefix: string, reason?: string): Promise<TaskRecord> {
      const task = await get(idOrPrefix);
      if (await inputs.settle(task.id, 'approval', { kind: 'deny', reason })) return get(task.id);
      const held = task.status === 'review' ? deps.driverFor(task).denyHeld?.(task, reason) : null;
      if (!held) throw conflict('no_approval', 'the task has nothing waiting for approval');
      return requeue(task, held, 'sent back with feedback');
    },

    /** Stops a Ralph loop now, mid-iteration, keeping its work. */
    async stopLoop(idOrPrefix: string): Promise<TaskRecord> {
      const task = await get(idOrPrefix);
      if (task.modeState?.mode !== 'loop') throw conflict('not_a_loop', 'the task does not run a Ralph loop');
      if (task.status !== 'running' || !(await runs.stop(task.id, 'stopped'))) {
        throw conflict('loop_not_running', `the loop is not running (the task is ${task.status})`);
      }
      return get(task.id);
    },
  };
}

export type Tasks = ReturnType<typeof createTasks>;

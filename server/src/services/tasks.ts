/**
 * What a user can do to tasks, from any surface: create, find, move, cancel, resume, answer, approve, deny.
 * Status changes go through TaskState; runs are started by the scheduler and stopped through Runs.
 */
import type { TaskDependencies } from './task-dependencies.js';
import type { Actor } from '../domain/actor.js';
import type { CreateTaskBody, TaskStatus } from '../../../shared/api.js';
import { createTaskBody } from '../../../shared/api.js';
import type { Config } from '../config.js';
import { modelForProfile } from '../config.js';
import { chooseAgent } from '../domain/agent-choice.js';
import { isResumable, userMoveCause } from '../domain/task-status.js';
import { AppError, conflict, invalidInput, invalidTransition, notFound } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import type { Storage } from '../storage/index.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import type { EventLog } from './event-log.js';
import type { InputRequests } from './input-requests.js';
import type { Projects } from './projects.js';
import type { Runs } from './runs/index.js';
import type { Scheduler } from './scheduler.js';
import type { TaskState } from './task-state.js';
import { resolveVariables } from '../domain/formula-prompt.js';
import type { ModeState } from '../domain/task-mode.js';
import type { FormulaCatalog } from '../formulas/formula-store.js';
import { refuseRepositoryVerify } from '../formulas/repository-verify.js';
import { parseVerifyCommand } from '../runner/verify-command.js';
import type { ProjectRecord } from '../storage/projects-repo.js';
import type { DriverFor } from './modes/index.js';
import { newLoopState } from './modes/loop.js';
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
  governance?: Pick<Governance, 'admitTask' | 'taskCreated' | 'admitRun'>;
  log: (msg: string, err?: unknown) => void;
}

const titleFrom = (prompt: string) => {
  const line =
    prompt
      .replace(/\[\[[^\]]*\]\]/g, '')
      .trim()
      .split('\n')[0] ?? '';
  return (line.length > 80 ? `${line.slice(0, 77)}…` : line) || 'Untitled task';
};

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

  /**
   * The mode a new task runs in.
   * Rules: a formula and the Ralph loop exclude each other; a formula must exist for the project and get
   * every required variable; a verify command must be one plain command; planning plans first.
   */
  async function initialMode(
    body: ReturnType<typeof createTaskBody.parse>,
    project: ProjectRecord,
  ): Promise<ModeState | null> {
    if (body.verify) {
      const parsed = parseVerifyCommand(body.verify);
      if (!parsed.ok) throw invalidInput(parsed.error);
    }
    if (body.formula && body.ralph)
      throw invalidInput('a task runs either a formula or the Ralph loop, not both');
    if (body.formula) {
      const loaded = await deps.formulas.get(body.formula, project.path);
      const refused = refuseRepositoryVerify(loaded, body.approval);
      if (refused) throw new AppError(422, 'formula_verify_refused', refused);
      const vars = resolveVariables(loaded.formula, body.vars ?? {}, {
        prompt: body.prompt,
        project: project.name,
      });
      if (!vars.ok) throw invalidInput(vars.issues.map((i) => i.message).join('; '));
      const f = loaded.formula;
      return {
        mode: 'formula',
        formula: f,
        name: f.name,
        values: vars.values,
        steps: f.steps.map((st) => ({
          id: st.id,
          name: st.name,
          profile: st.profile,
          status: 'pending',
          result: null,
          gate: st.gate?.message ?? null,
          verify: st.verify,
          sessionId: null,
        })),
        current: 0,
        feedback: null,
      };
    }
    if (body.vars && Object.keys(body.vars).length) throw invalidInput('--var goes with --formula');
    if (body.ralph) {
      return newLoopState(
        {
          maxIterations: body.maxIterations,
          maxCostUsd: body.maxCostUsd ?? null,
          callsPerHour: deps.config.loop.callsPerHour,
          pauseMs: deps.config.loop.pauseMs,
        },
        body.verify ?? null,
      );
    }
    if (body.maxIterations !== undefined) throw invalidInput('--max-iterations goes with --ralph');
    if (body.verify) throw invalidInput('--verify goes with --ralph');
    if (body.profile === 'planning') return { mode: 'planning', phase: 'planning', plan: null };
    return null;
  }

  return {
    get,
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

    /**
     * Creates a task; `actor` (who asked, through which surface) is kept on it, and its user is whom the
     * budgets and policies by user apply to.
     */
    async create(
      input: CreateTaskBody,
      actor?: Pick<Actor, 'user' | 'surface' | 'userId'>,
    ): Promise<TaskRecord> {
      const parsed = createTaskBody.parse(input);
      const project = await deps.projects.find(parsed.project);
      if (!project) throw notFound(`project ${parsed.project}`);
      const body = (await deps.governance?.admitTask(parsed, project, actor)) ?? parsed;
      const choice = chooseAgent(
        {
          requested: body.agent,
          profile: body.profile,
          approval: body.approval,
          images: body.attachments?.length ?? 0,
        },
        { agentForProfile: deps.config.agents, capabilitiesOf: (name) => deps.agents.get(name).capabilities },
      );
      if (!choice.ok) throw invalidInput(choice.message);
      const modeState = await initialMode(body, project);
      if ((body.after || body.on) && !deps.dependencies) throw invalidInput('this server cannot chain tasks');
      const waits = (await deps.dependencies?.plan(body, project.id)) ?? null;
      const attachments = await Promise.all(
        (body.attachments ?? []).map((id) =>
          deps.attachments.get(id).catch(() => {
            throw invalidInput(`no uploaded image ${id}`);
          }),
        ),
      );
      const now = nowIso();
      const task: TaskRecord = {
        id: newId(),
        projectId: project.id,
        title: body.title ?? titleFrom(body.prompt),
        prompt: body.prompt,
        status: 'queued',
        profile: body.profile,
        agent: choice.agent,
        model: modelForProfile(deps.config, body.profile, choice.agent),
        approval: body.approval,
        useWorktree: body.worktree,
        branch: null,
        baseBranch: waits?.baseBranch ?? project.defaultBranch,
        baseSha: null,
        worktreePath: null,
        costUsd: 0,
        maxCostUsd: body.maxCostUsd ?? null,
        inputRequired: false,
        pendingInput: null,
        stopReason: null,
        error: null,
        iterations: 0,
        sessionId: null,
        health: null,
        healthReason: null,
        nextPrompt: body.prompt,
        options: {
          ralph: body.ralph || undefined,
          maxIterations: body.maxIterations,
          verify: body.verify,
          vars: body.vars,
          attachments: attachments.length ? attachments : undefined,
          createdBy: actor ? { user: actor.user, surface: actor.surface } : undefined,
        },
        lastSeq: 0,
        modeState,
        queuedAt: now,
        createdAt: now,
        updatedAt: now,
        startedAt: null,
        finishedAt: null,
        worker: null,
        dispatchJob: null,
      };
      await storage.tasks.insert(task);
      if (waits) await deps.dependencies!.record(task.id, waits.after);
      await deps.governance?.taskCreated(task.id, actor);
      await deps.events.emit(task.id, [
        { type: 'task.created', data: { title: task.title, projectId: project.id } },
        { type: 'status.changed', data: { from: null, to: 'queued', reason: 'created' } },
      ]);
      const created = await state.announce(task.id);
      scheduler.kick().catch(logKickFailure);
      return created;
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

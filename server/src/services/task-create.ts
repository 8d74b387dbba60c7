/**
 * Creating a task: validation, the agent and mode it runs in, its attachments, then the row, its events and
 * a kick of the queue. `Tasks.create` is this.
 */
import type { Actor } from '../domain/actor.js';
import type { CreateTaskBody } from '../../../shared/api.js';
import { createTaskBody, type ApprovalPolicy } from '../../../shared/api.js';
import { modelForProfile } from '../config.js';
import { chooseAgent } from '../domain/agent-choice.js';
import { AppError, invalidInput, notFound } from '../errors.js';
import { newId, nowIso } from '../ids.js';
import type { TaskRecord } from '../storage/tasks-repo.js';
import { resolveVariables } from '../domain/formula-prompt.js';
import type { ModeState } from '../domain/task-mode.js';
import { refuseRepositoryVerify } from '../formulas/repository-verify.js';
import { parseVerifyCommand } from '../runner/verify-command.js';
import type { ProjectRecord } from '../storage/projects-repo.js';
import { newLoopState } from './modes/loop.js';
import type { TasksDeps } from './tasks.js';

type Body = ReturnType<typeof createTaskBody.parse> & { approval: ApprovalPolicy };
type Creator = Pick<Actor, 'user' | 'surface' | 'userId'>;

/** A task's title from its prompt: the first line without directives, cut at 80 characters ('' if none). */
export function titleFromPrompt(prompt: string): string {
  const line =
    prompt
      .replace(/\[\[[^\]]*\]\]/g, '')
      .trim()
      .split('\n')[0] ?? '';
  return line.length > 80 ? `${line.slice(0, 77)}…` : line;
}

/** The fields of a task queued at `now` that has not run yet (a new task, a fork). */
export function notYetRun(now: string) {
  return {
    status: 'queued',
    worktreePath: null,
    costUsd: 0,
    inputRequired: false,
    pendingInput: null,
    stopReason: null,
    error: null,
    iterations: 0,
    health: null,
    healthReason: null,
    lastSeq: 0,
    queuedAt: now,
    createdAt: now,
    updatedAt: now,
    startedAt: null,
    finishedAt: null,
    worker: null,
    dispatchJob: null,
  } satisfies Partial<TaskRecord>;
}

/** The formula mode of a new task: the formula exists for the project and gets every required variable. */
async function formulaMode(
  deps: TasksDeps,
  body: Body & { formula: string },
  project: ProjectRecord,
): Promise<ModeState> {
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

/**
 * The mode a new task runs in.
 * Rules: a formula and the Ralph loop exclude each other; a formula must exist for the project and get
 * every required variable; a verify command must be one plain command; planning plans first.
 */
async function initialMode(deps: TasksDeps, body: Body, project: ProjectRecord): Promise<ModeState | null> {
  if (body.verify) {
    const parsed = parseVerifyCommand(body.verify);
    if (!parsed.ok) throw invalidInput(parsed.error);
  }
  if (body.formula && body.ralph)
    throw invalidInput('a task runs either a formula or the Ralph loop, not both');
  if (body.formula) return formulaMode(deps, { ...body, formula: body.formula }, project);
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

/** What a new task is made of, each part checked: its agent, mode, waits and uploaded images. */
async function admit(deps: TasksDeps, body: Body, project: ProjectRecord) {
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
  const modeState = await initialMode(deps, body, project);
  if ((body.after || body.on) && !deps.dependencies) throw invalidInput('this server cannot chain tasks');
  const waits = (await deps.dependencies?.plan(body, project.id)) ?? null;
  const attachments = await Promise.all(
    (body.attachments ?? []).map((id) =>
      deps.attachments.get(id).catch(() => {
        throw invalidInput(`no uploaded image ${id}`);
      }),
    ),
  );
  return { agent: choice.agent, modeState, waits, attachments };
}

type Admitted = Awaited<ReturnType<typeof admit>>;

/** The row of a new, queued task. */
function newTaskRecord(
  deps: TasksDeps,
  body: Body,
  project: ProjectRecord,
  { agent, modeState, waits, attachments }: Admitted,
  actor?: Creator,
): TaskRecord {
  return {
    ...notYetRun(nowIso()),
    id: newId(),
    projectId: project.id,
    title: body.title ?? (titleFromPrompt(body.prompt) || 'Untitled task'),
    prompt: body.prompt,
    profile: body.profile,
    agent,
    model: modelForProfile(deps.config, body.profile, agent),
    approval: body.approval,
    useWorktree: body.worktree,
    branch: null,
    baseBranch: waits?.baseBranch ?? project.defaultBranch,
    baseSha: null,
    maxCostUsd: body.maxCostUsd ?? null,
    sessionId: null,
    nextPrompt: body.prompt,
    options: {
      ralph: body.ralph || undefined,
      maxIterations: body.maxIterations,
      verify: body.verify,
      vars: body.vars,
      attachments: attachments.length ? attachments : undefined,
      createdBy: actor ? { user: actor.user, surface: actor.surface } : undefined,
    },
    modeState,
  };
}

/**
 * `Tasks.create`: creates a task; `actor` (who asked, through which surface) is kept on it, and its user is
 * whom the budgets and policies by user apply to.
 */
export function createTaskCreate(deps: TasksDeps, logKickFailure: (err: unknown) => void) {
  return async function create(input: CreateTaskBody, actor?: Creator): Promise<TaskRecord> {
    const raw = createTaskBody.parse(input);
    // No approval asked for: `auto` where it may run, `careful` where no sandbox would hold its commands.
    const parsed = { ...raw, approval: raw.approval ?? deps.governance?.defaultApproval() ?? 'auto' };
    const project = await deps.projects.find(parsed.project);
    if (!project) throw notFound(`project ${parsed.project}`);
    const body = (await deps.governance?.admitTask(parsed, project, actor)) ?? parsed;
    const admitted = await admit(deps, body, project);
    const task = newTaskRecord(deps, body, project, admitted, actor);
    await deps.storage.tasks.insert(task);
    if (admitted.waits) await deps.dependencies!.record(task.id, admitted.waits.after);
    await deps.governance?.taskCreated(task.id, actor);
    await deps.events.emit(task.id, [
      { type: 'task.created', data: { title: task.title, projectId: project.id } },
      { type: 'status.changed', data: { from: null, to: 'queued', reason: 'created' } },
    ]);
    const created = await deps.state.announce(task.id);
    deps.scheduler.kick().catch(logKickFailure);
    return created;
  };
}

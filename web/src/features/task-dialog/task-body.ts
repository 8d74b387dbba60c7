/**
 * The new task dialog's request: the form's values turned into a `POST /api/tasks` body, and what is wrong
 * with it, checked with the shared schema before it is sent.
 */
import {
  createTaskBody,
  type ApprovalPolicy,
  type CreateTaskBody,
  type HealthDto,
  type Profile,
} from '../../../../shared/api.js';
import { waitFields, type WaitsForValue } from './WaitsFor.js';

/** How the task runs (the mode fields) and its caps, as typed (numbers are text until sent). */
export interface RunOptions {
  worktree: boolean;
  ralph: boolean;
  /** Only sent for a Ralph loop. */
  maxIterations: string;
  /** Empty: no cap. */
  maxCost: string;
  approval: ApprovalPolicy;
}

export const DEFAULT_RUN_OPTIONS: RunOptions = {
  worktree: true,
  ralph: false,
  maxIterations: '20',
  maxCost: '',
  approval: 'auto',
};

/**
 * The run options a new task starts with: the `auto` approval policy only where the server runs it (its
 * agents' sandbox starts, or an admin allowed auto without one); otherwise `careful`.
 */
export function defaultRunOptions(health: Pick<HealthDto, 'sandbox'> | undefined): RunOptions {
  const autoAllowed = health?.sandbox?.autoAllowed ?? true;
  return { ...DEFAULT_RUN_OPTIONS, approval: autoAllowed ? 'auto' : 'careful' };
}

export interface TaskForm {
  project: string;
  prompt: string;
  profile: Profile;
  options: RunOptions;
  waits: WaitsForValue;
  /** Ids of the images uploaded so far. */
  attachments: string[];
}

export function taskBody(form: TaskForm): CreateTaskBody {
  const { options } = form;
  return {
    project: form.project,
    prompt: form.prompt,
    profile: form.profile,
    worktree: options.worktree,
    approval: options.approval,
    ...(options.ralph ? { ralph: true, maxIterations: Number(options.maxIterations) } : {}),
    ...(options.maxCost.trim() ? { maxCostUsd: Number(options.maxCost) } : {}),
    ...waitFields(form.waits),
    ...(form.attachments.length ? { attachments: form.attachments } : {}),
  };
}

/** The first problem of a body (`field: message`), or null when the server would take it. */
export function bodyProblem(body: CreateTaskBody): string | null {
  const check = createTaskBody.safeParse(body);
  if (check.success) return null;
  const issue = check.error.issues[0];
  return `${issue?.path.join('.') || 'task'}: ${issue?.message ?? 'invalid'}`;
}

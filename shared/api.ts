/**
 * The public HTTP + WebSocket contract: request schemas (zod, used by the server to validate and by
 * clients to type their calls) and the shapes the server answers with. Web, CLI and bots import only this.
 */
import { z } from 'zod';
import type { GluonEvent, Question } from './events.js';

export const TASK_STATUSES = ['queued', 'running', 'review', 'done', 'failed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const PROFILES = ['quick', 'standard', 'deep', 'planning'] as const;
export type Profile = (typeof PROFILES)[number];

export const APPROVAL_POLICIES = ['auto', 'careful', 'strict'] as const;
export type ApprovalPolicy = (typeof APPROVAL_POLICIES)[number];

/** The coding agents a task can run: Claude Code, or OpenAI's Codex CLI. */
export const AGENT_NAMES = ['claude', 'codex'] as const;
export type AgentName = (typeof AGENT_NAMES)[number];

/** What an agent can do besides working on its own; what it lacks, Gluon cannot offer for its tasks. */
export interface AgentCapabilities {
  /** A tool call can wait for a human's approval (the `careful` and `strict` policies). */
  approvals: boolean;
  /** The agent can ask a question mid-run and wait for the answer (any agent can end its turn asking). */
  questions: boolean;
  /** Plan mode: the agent plans without editing and waits for the plan's approval (the planning profile). */
  planMode: boolean;
  /** Images can go to the agent with the prompt. */
  images: boolean;
}

/** An agent as `GET /api/agents` answers it: what it can do, and in plain words what it cannot. */
export interface AgentDto {
  name: AgentName;
  capabilities: AgentCapabilities;
  lacks: string[];
  /** The model each profile runs with this agent. */
  models: Record<Profile, string>;
}

export const STOP_REASONS = [
  'completed',
  'error',
  'cost_cap',
  'cancelled',
  'input_required',
  'interrupted',
  'max_iterations',
  'circuit_open',
  'verify_failed',
  'stopped',
] as const;
export type StopReason = (typeof STOP_REASONS)[number];

export type Health = 'green' | 'yellow' | 'red';

const name = z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(
    /^[A-Za-z0-9][A-Za-z0-9._-]*$/,
    'letters, digits, dot, dash and underscore; not starting with - or .',
  );

/** An id or a unique prefix of at least 4 characters. */
export const idParam = z.object({ id: z.string().regex(/^[a-z0-9]{4,32}$/, 'an id: 4 to 32 of a-z0-9') });

export const createProjectBody = z.strictObject({
  path: z.string().min(1).max(4096),
  name: name.optional(),
  workspace: name.optional(),
  github: z
    .string()
    .regex(/^[A-Za-z0-9_.-]+\/[A-Za-z0-9_.-]+$/, 'owner/repo')
    .optional(),
  /** What a new task does with uncommitted changes in the checkout (default ignore). */
  uncommittedPolicy: z.enum(['ignore', 'snapshot', 'autocommit']).optional(),
  /** Globs of untracked files (`.env`) copied into each new worktree. */
  worktreeInclude: z.array(z.string().min(1).max(200)).max(50).optional(),
  /** Spending caps of all the project's tasks together, per calendar day and month. */
  maxCostPerDayUsd: z.number().positive().max(1_000_000).optional(),
  maxCostPerMonthUsd: z.number().positive().max(1_000_000).optional(),
});
export type CreateProjectBody = z.infer<typeof createProjectBody>;

/** Changes to a project's settings; `null` clears a cap, the GitHub repository or the include list. */
export const updateProjectBody = z
  .strictObject({
    github: createProjectBody.shape.github.unwrap().nullable().optional(),
    uncommittedPolicy: createProjectBody.shape.uncommittedPolicy.unwrap().optional(),
    worktreeInclude: createProjectBody.shape.worktreeInclude.unwrap().nullable().optional(),
    maxCostPerDayUsd: createProjectBody.shape.maxCostPerDayUsd.unwrap().nullable().optional(),
    maxCostPerMonthUsd: createProjectBody.shape.maxCostPerMonthUsd.unwrap().nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');
export type UpdateProjectBody = z.infer<typeof updateProjectBody>;

export const createTaskBody = z.strictObject({
  project: z.string().min(1).max(100),
  prompt: z.string().trim().min(1).max(100_000),
  title: z.string().trim().min(1).max(200).optional(),
  profile: z.enum(PROFILES).default('standard'),
  /** The agent that runs the task; default: the profile's agent from configuration. */
  agent: z.enum(AGENT_NAMES).optional(),
  worktree: z.boolean().default(true),
  maxCostUsd: z.number().positive().max(100_000).optional(),
  approval: z.enum(APPROVAL_POLICIES).default('auto'),
  ralph: z.boolean().default(false),
  maxIterations: z.number().int().min(1).max(1000).optional(),
  verify: z.string().min(1).max(2000).optional(),
  formula: name.optional(),
  vars: z.record(z.string().max(100), z.string().max(10_000)).optional(),
  /** Ids of uploaded images (POST /api/attachments), sent to the agent with the prompt. */
  attachments: z
    .array(z.string().regex(/^[a-z0-9]{12}$/, 'an attachment id'))
    .max(20)
    .optional(),
});
export type CreateTaskBody = z.input<typeof createTaskBody>;

export const listTasksQuery = z.strictObject({
  status: z.enum(TASK_STATUSES).optional(),
  project: z.string().min(1).max(100).optional(),
});

export const moveTaskBody = z.strictObject({ status: z.enum(TASK_STATUSES) });
export const textBody = z.strictObject({ text: z.string().trim().min(1).max(100_000) });
export const denyBody = z.strictObject({ reason: z.string().trim().max(10_000).optional() });
export const eventsQuery = z.strictObject({
  after: z.coerce.number().int().min(0).default(0),
  limit: z.coerce.number().int().min(1).max(10_000).default(1000),
});
export const costQuery = z.strictObject({
  by: z.enum(['day', 'project', 'task', 'model', 'day_model']).optional(),
});

/** An uploaded image. */
export interface AttachmentDto {
  id: string;
  name: string;
  mime: string;
  size: number;
}

export interface WorkspaceDto {
  id: string;
  name: string;
}

export interface ProjectDto {
  id: string;
  name: string;
  workspace: string;
  path: string;
  defaultBranch: string;
  remote: string | null;
  github: string | null;
  maxCostPerDayUsd: number | null;
  maxCostPerMonthUsd: number | null;
  createdAt: string;
}

/** What waits for a human on a task: a question from the agent or a tool call to approve. */
export interface PendingInput {
  requestId: string;
  kind: 'question' | 'approval';
  /** Whether an agent process is waiting on it now (else answering resumes the session). */
  live: boolean;
  toolName?: string;
  toolInput?: unknown;
  questions?: Question[];
  text?: string;
  reason?: string;
  createdAt: string;
}

export interface TaskDto {
  id: string;
  title: string;
  prompt: string;
  project: string;
  projectId: string;
  workspace: string;
  status: TaskStatus;
  profile: Profile;
  /** The agent that runs the task. */
  agent: AgentName;
  model: string;
  approval: ApprovalPolicy;
  branch: string | null;
  baseBranch: string;
  worktreePath: string | null;
  costUsd: number;
  maxCostUsd: number | null;
  inputRequired: boolean;
  pendingInput: PendingInput | null;
  stopReason: StopReason | null;
  error: string | null;
  iterations: number;
  sessionId: string | null;
  health: Health | null;
  healthReason: string | null;
  lastEventSeq: number;
  /** Images given to the agent with the task. */
  attachments: AttachmentDto[];
  /** The pull request opened for the task's branch, if any. */
  pr: PullRequestDto | null;
  /** Files left conflicted by the last rebase onto the base branch (the worktree itself is clean). */
  conflictFiles: string[] | null;
  /** Formula progress ("Step 2/4 Implement"), when the task runs a formula. */
  step: { index: number; total: number; name: string } | null;
  /** Ralph loop state, when the task runs as a loop. */
  loop: { maxIterations: number; maxCostUsd: number | null; breaker: 'closed' | 'half_open' | 'open' } | null;
  createdAt: string;
  updatedAt: string;
  startedAt: string | null;
  finishedAt: string | null;
}

export interface RunDto {
  id: string;
  taskId: string;
  kind: string;
  model: string;
  sessionId: string | null;
  status: 'running' | 'ended';
  stopReason: StopReason | null;
  costUsd: number;
  error: string | null;
  startedAt: string;
  endedAt: string | null;
}

export interface CostRow {
  key: string;
  label: string;
  costUsd: number;
  runs: number;
  /** With `by=day_model`: the day and the model of the row (the chart's series). */
  day?: string;
  model?: string;
}

export interface CostReport {
  today: number;
  week: number;
  month: number;
  total: number;
  by?: 'day' | 'project' | 'task' | 'model' | 'day_model';
  rows?: CostRow[];
  /** Models seen in usage that the pricing table does not know (their live cost was not estimated). */
  unpricedModels: string[];
}

/** Review data (issue: git lifecycle). */
export interface FileChangeDto {
  path: string;
  oldPath?: string;
  status: 'A' | 'M' | 'D' | 'R' | 'C' | 'T';
  additions: number;
  deletions: number;
  binary: boolean;
}

export interface CommitDto {
  sha: string;
  author: string;
  email: string;
  time: string;
  message: string;
  files: FileChangeDto[];
}

export interface ChangesDto {
  base: string;
  head: string;
  files: FileChangeDto[];
}

export interface DiffDto {
  /** Unified diff text (git's format), for one file or one commit. */
  diff: string;
  truncated: boolean;
}

export interface PullRequestDto {
  number: number;
  url: string;
  state: 'open' | 'closed' | 'merged';
  checks: 'pending' | 'success' | 'failure' | null;
}

export const diffQuery = z.strictObject({
  path: z.string().min(1).max(4096).optional(),
  commit: z
    .string()
    .regex(/^[0-9a-f]{7,40}$/, 'a commit sha')
    .optional(),
});

/** What `POST /api/worktrees/prune` did: worktrees removed, stale registrations dropped, and what it kept and why. */
export interface PruneReportDto {
  removed: { taskId: string | null; path: string; branch: string | null; snapshot: string | null }[];
  forgotten: { taskId: string | null; path: string }[];
  kept: { taskId: string | null; path: string; branch: string | null; reason: string }[];
}

/** Where a formula was found: the project's `.gluon/formulas`, the user's `~/.gluon/formulas`, or built in. */
export type FormulaScope = 'project' | 'user' | 'builtin';
/** A formula as `GET /api/formulas` and `GET /api/formulas/:name` answer it; steps in run order. */
export interface FormulaDto {
  name: string;
  description: string;
  scope: FormulaScope;
  file: string;
  /** Lower scopes with a formula of the same name that this one hides. */
  shadows: FormulaScope[];
  variables: { name: string; description: string | null; required: boolean; default: string | null }[];
  steps: {
    id: string;
    name: string;
    prompt: string;
    profile: Profile;
    dependsOn: string[];
    gate: { message: string } | null;
    verify: string | null;
  }[];
}
/** Every usable formula, and the files that could not be used (each message names the file and field). */
export interface FormulaListDto {
  formulas: FormulaDto[];
  errors: { name: string; scope: FormulaScope; file: string; message: string }[];
}

export interface ApiErrorBody {
  error: { code: string; message: string; details?: unknown };
}

/** WebSocket: what a client sends. */
export const wsClientMessage = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('subscribe.board') }),
  z.strictObject({
    type: z.literal('subscribe.task'),
    taskId: z.string().regex(/^[a-z0-9]{4,32}$/),
    afterSeq: z.number().int().min(0).default(0),
  }),
  z.strictObject({ type: z.literal('unsubscribe.task'), taskId: z.string().regex(/^[a-z0-9]{4,32}$/) }),
  z.strictObject({ type: z.literal('ping') }),
]);
export type WsClientMessage = z.input<typeof wsClientMessage>;

/** WebSocket: what the server sends. */
export type WsServerMessage =
  | { type: 'board.snapshot'; tasks: TaskDto[] }
  | { type: 'task.updated'; task: TaskDto }
  | { type: 'task.removed'; taskId: string }
  | { type: 'event'; event: GluonEvent }
  /** The backlog up to `seq` has been sent; what follows is live. */
  | { type: 'subscribed'; taskId: string; seq: number }
  | { type: 'error'; error: { code: string; message: string } }
  | { type: 'pong' };

/** The WebSocket subprotocol that carries the token for browsers (they cannot set headers). */
export const WS_TOKEN_PROTOCOL_PREFIX = 'gluon-token.';
export const WS_PROTOCOL = 'gluon.v1';
export const DEFAULT_PORT = 45866;

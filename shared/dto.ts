/**
 * The shapes the server answers with, route by route (the request side is in `api.ts`, which re-exports
 * these). The server's presenters and routes are typed against them, so a change here shows on both sides.
 * By theme beside it: review-dto.ts (commits, diffs, pull requests, comments), governance-dto.ts (costs,
 * budgets, policies), fleet-dto.ts (workers), team.ts (users, tokens, audit).
 */
import type { AgentName, ApprovalPolicy, Health, Profile, StopReason, TaskStatus } from './api.js';
import type { GluonEvent, Question } from './events.js';
import type { PullRequestDto } from './review-dto.js';

/** `GET /api/health`: what the server says about itself. */
export interface HealthDto {
  ok: true;
  version: string;
  /** The server runs `gluon demo`: a sample repository and the scripted test model. */
  demo: boolean;
  /** Whether the agents have Claude credentials (API key, OAuth token or a login). */
  credentials: boolean;
  /** The model id each profile runs (from the server's configuration). */
  models: Record<Profile, string>;
  /** The agents' OS sandbox on this server (absent: a server that does not say). */
  sandbox?: SandboxDto;
}

/** Whether the agents' OS sandbox starts on the server, why not, and whether `auto` approval runs anyway. */
export interface SandboxDto {
  available: boolean;
  reason: string | null;
  autoAllowed: boolean;
}

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

/** `GET /api/tasks/:id/events`: a page of stored events and the last `seq` it reached. */
export interface EventPage {
  events: GluonEvent[];
  /** The cursor: pass it as `after` for the next page. */
  lastSeq: number;
  /** More events follow: a page is cut at its `limit` or at a few megabytes, whichever comes first. */
  more: boolean;
}

/** A project file matching an `@` completion (`GET /api/projects/:id/files?q=`). */
export interface FileMatch {
  path: string;
  /** Indexes of the matched characters in `path`, for highlighting. */
  positions: number[];
}
export interface FileSearchResult {
  files: FileMatch[];
  /** How many files matched in all (`files` holds the best of them). */
  total: number;
}

/** A slash command an agent in the project knows (`GET /api/projects/:id/commands`). */
export interface SlashCommandDto {
  name: string;
  description: string;
  argumentHint: string | null;
  scope: 'project' | 'user';
}

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
  /** Whether the agents load the repository's own `.claude` settings (hooks, permissions). */
  trustRepoSettings: boolean;
  /** The label that turns the project's GitHub issues into tasks, if any. */
  issueLabel: string | null;
  /** Whether comments and failed checks on a task's pull request resume its agent. */
  prAutofix: boolean;
  /** The cost cap of the auto-resumes of one pull request, in USD. */
  prAutofixCapUsd: number;
  /** What the merge queue runs on each rebased task before it lands; null: nothing. */
  verify?: string | null;
  /** How the merge queue lands a task on the base branch. */
  mergeMethod?: 'fast-forward' | 'merge-commit';
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
  /** The agent that runs the task. */
  agent: AgentName;
  /** The worker running the task, or that ran it last (a fleet on Postgres); null on a single machine. */
  worker: string | null;
  project: string;
  projectId: string;
  workspace: string;
  status: TaskStatus;
  profile: Profile;
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
  /** The tasks this one waits for (`--after`, `--on`) and their status now. */
  waitsFor?: { id: string; title: string; status: TaskStatus }[];
  /** Why a queued task does not start yet ("waiting for …", "blocked: … failed"); null when it may. */
  blocked?: string | null;
  /** The task this one was forked from (`gluon fork`), if any. */
  forkedFrom?: string | null;
  /** The tasks forked from this one, oldest first. */
  forks?: string[];
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
  /** What started an automatic run ("PR review comment by X", "check 'ci' failed", "@gluon"); null otherwise. */
  trigger?: string | null;
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

/**
 * The public HTTP + WebSocket contract: request schemas (zod, used by the server to validate and by
 * clients to type their calls), the WebSocket messages, and the shapes the server answers with (`dto.ts`,
 * re-exported here). Web, CLI and bots import only this.
 */
import { z } from 'zod';
import type { GluonEvent } from './events.js';
import type { TaskDto } from './dto.js';
import { MERGE_METHODS } from './merge.js';

export type * from './dto.js';
export * from './merge.js';

export const TASK_STATUSES = ['queued', 'running', 'review', 'done', 'failed', 'cancelled'] as const;
export type TaskStatus = (typeof TASK_STATUSES)[number];

export const PROFILES = ['quick', 'standard', 'deep', 'planning'] as const;
export type Profile = (typeof PROFILES)[number];

export const APPROVAL_POLICIES = ['auto', 'careful', 'strict'] as const;
export type ApprovalPolicy = (typeof APPROVAL_POLICIES)[number];

/** The coding agents a task can run: Claude Code, or OpenAI's Codex CLI. */
export const AGENT_NAMES = ['claude', 'codex'] as const;
export type AgentName = (typeof AGENT_NAMES)[number];

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

/** The workspace of a project added without one. */
export const DEFAULT_WORKSPACE = 'default';

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
  /** Globs of untracked files (`.env`) copied into each new worktree (never committed). */
  worktreeInclude: z.array(z.string().min(1).max(200)).max(50).optional(),
  /**
   * Let the agents load the repository's own `.claude/settings.json` and `settings.local.json` (hooks that
   * run shell commands, pre-approved tools). Off by default: a repository must not configure its agent.
   */
  trustRepoSettings: z.boolean().optional(),
  /** Spending caps of all the project's tasks together, per calendar day and month. */
  maxCostPerDayUsd: z.number().positive().max(1_000_000).optional(),
  maxCostPerMonthUsd: z.number().positive().max(1_000_000).optional(),
  /** GitHub issues with this label become tasks of the project (webhook and polling). */
  issueLabel: z
    .string()
    .trim()
    .min(1)
    .max(50)
    .regex(/^[^,\s][^,]*$/, 'a label name (no commas)')
    .optional(),
  /** Review comments, `@gluon` comments and failed checks on a task's pull request resume its agent. */
  prAutofix: z.boolean().optional(),
  /** What the auto-resumes of one pull request may cost in all (default 5 USD). */
  prAutofixCapUsd: z.number().positive().max(10_000).optional(),
  /** The command the merge queue runs on each rebased task before it lands (one command, no shell). */
  verify: z.string().trim().min(1).max(2000).optional(),
  /** How the merge queue lands a task on the base branch (default fast-forward). */
  mergeMethod: z.enum(MERGE_METHODS).optional(),
});
export type CreateProjectBody = z.infer<typeof createProjectBody>;

/** Changes to a project's settings; `null` clears a cap, the GitHub repository or the include list. */
export const updateProjectBody = z
  .strictObject({
    github: createProjectBody.shape.github.unwrap().nullable().optional(),
    uncommittedPolicy: createProjectBody.shape.uncommittedPolicy.unwrap().optional(),
    worktreeInclude: createProjectBody.shape.worktreeInclude.unwrap().nullable().optional(),
    trustRepoSettings: createProjectBody.shape.trustRepoSettings,
    maxCostPerDayUsd: createProjectBody.shape.maxCostPerDayUsd.unwrap().nullable().optional(),
    maxCostPerMonthUsd: createProjectBody.shape.maxCostPerMonthUsd.unwrap().nullable().optional(),
    issueLabel: createProjectBody.shape.issueLabel.unwrap().nullable().optional(),
    prAutofix: createProjectBody.shape.prAutofix,
    prAutofixCapUsd: createProjectBody.shape.prAutofixCapUsd.unwrap().nullable().optional(),
    verify: createProjectBody.shape.verify.unwrap().nullable().optional(),
    mergeMethod: createProjectBody.shape.mergeMethod,
  })
  .refine((b) => Object.keys(b).length > 0, 'nothing to change');
export type UpdateProjectBody = z.infer<typeof updateProjectBody>;

const taskRef = z.string().regex(/^[a-z0-9]{4,32}$/, 'a task id');

export const createTaskBody = z.strictObject({
  project: z.string().min(1).max(100),
  prompt: z.string().trim().min(1).max(100_000),
  title: z.string().trim().min(1).max(200).optional(),
  profile: z.enum(PROFILES).default('standard'),
  /** The agent that runs the task; default: the profile's agent from configuration. */
  agent: z.enum(AGENT_NAMES).optional(),
  worktree: z.boolean().default(true),
  maxCostUsd: z.number().positive().max(100_000).optional(),
  /** None asked for: `auto` where the server's agent sandbox starts (or auto is allowed), else `careful`. */
  approval: z.enum(APPROVAL_POLICIES).optional(),
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
  /** Tasks (ids or unique prefixes) to wait for: the task starts when all reach review or done. */
  after: z.array(taskRef).min(1).max(20).optional(),
  /** A task to wait for and start from: its branch becomes this task's base. */
  on: taskRef.optional(),
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
  by: z.enum(['day', 'project', 'task', 'model', 'day_model', 'user']).optional(),
});

export const diffQuery = z.strictObject({
  path: z.string().min(1).max(4096).optional(),
  commit: z
    .string()
    .regex(/^[0-9a-f]{7,40}$/, 'a commit sha')
    .optional(),
});

/** Review comments (issue 14): a comment's id beside its task's. */
export const commentParams = idParam.extend({
  commentId: z.string().regex(/^[a-z0-9]{4,32}$/, 'a comment id'),
});
/** A comment on lines `line`–`endLine` (1-based, of the file at the branch tip) of a changed file. */
export const createCommentBody = z
  .strictObject({
    path: z.string().min(1).max(4096),
    line: z.number().int().min(1).max(10_000_000),
    endLine: z.number().int().min(1).max(10_000_000).optional(),
    body: z.string().trim().min(1).max(20_000),
  })
  .refine((c) => c.endLine === undefined || c.endLine >= c.line, {
    message: 'endLine comes before line',
    path: ['endLine'],
  });
export type CreateCommentBody = z.input<typeof createCommentBody>;
export const resolveCommentBody = z.strictObject({ resolved: z.boolean().default(true) });
/** "Send review": the pending comments go to the agent, with an optional summary. */
export const sendReviewBody = z.strictObject({ body: z.string().trim().max(20_000).optional() });

/** `POST /api/tasks/:id/dependencies`: make a queued task wait for more tasks. */
export const addDependenciesBody = z.strictObject({ after: z.array(taskRef).min(1).max(20) });

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

/** Budgets (issue 13): a spending limit for a project, a workspace (by name) or a user (by id). */
export const BUDGET_SCOPES = ['project', 'workspace', 'user'] as const;
export const setBudgetBody = z.strictObject({
  scope: z.enum(BUDGET_SCOPES),
  name: z.string().trim().min(1).max(200),
  period: z.enum(['day', 'month']),
  limitUsd: z.number().positive().max(10_000_000),
});
export type SetBudgetBody = z.input<typeof setBudgetBody>;

/** Policies (issue 13): what an admin allows in a workspace or a project. Absent fields set nothing. */
export const policySchema = z.strictObject({
  allowedProfiles: z.array(z.enum(PROFILES)).min(1).optional(),
  maxCostPerTaskUsd: z.number().positive().max(10_000_000).optional(),
  minApproval: z.enum(APPROVAL_POLICIES).optional(),
  deniedTools: z.array(z.string().trim().min(1).max(200)).max(100).optional(),
  ralphAllowed: z.boolean().optional(),
  /** Globs relative to the repository root (`.github/workflows/**`, `infra/**`) the agent may not write. */
  protectedPaths: z
    .array(
      z
        .string()
        .trim()
        .min(1)
        .max(500)
        .refine(
          (g) => !g.startsWith('/') && !g.split('/').includes('..') && !g.includes('\0'),
          'a relative glob',
        ),
    )
    .max(100)
    .optional(),
  /**
   * Hosts the agent's commands may reach besides the model's API (its sandbox's network): `host`,
   * `host:port` or `*.example.com`.
   */
  allowedHosts: z
    .array(
      z
        .string()
        .trim()
        .min(1)
        .max(253)
        .regex(
          /^(\*\.)?[A-Za-z0-9.-]+(:\d{1,5})?$|^\[[0-9A-Fa-f:.]+\](:\d{1,5})?$/,
          'a host, host:port or *.domain',
        ),
    )
    .max(100)
    .optional(),
});
export type PolicyDto = z.infer<typeof policySchema>;
export const setPolicyBody = z.strictObject({
  scope: z.enum(['workspace', 'project']),
  name: z.string().trim().min(1).max(200),
  policy: policySchema,
});
export type SetPolicyBody = z.input<typeof setPolicyBody>;

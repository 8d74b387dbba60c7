/**
 * The typed HTTP client of the Gluon API, shared by the CLI, the bots and the web dashboard. It speaks
 * only the contract in `api.ts` and uses the platform `fetch`, so it runs in Node 20 and in browsers.
 */
import type {
  AgentDto,
  WorkerDto,
  AttachmentDto,
  BudgetDto,
  SetBudgetBody,
  PolicyEntryDto,
  SetPolicyBody,
  ChangesDto,
  CommitDto,
  CostReport,
  CreateProjectBody,
  CreateTaskBody,
  DiffDto,
  EventPage,
  FileSearchResult,
  FormulaDto,
  FormulaListDto,
  HealthDto,
  ProjectDto,
  PruneReportDto,
  PullRequestDto,
  ReviewCommentDto,
  CreateCommentBody,
  RunDto,
  SlashCommandDto,
  TaskDto,
  TaskStatus,
  UpdateProjectBody,
  WorkspaceDto,
} from './api.js';
import type { GluonEvent } from './events.js';
import { intakeMethods } from './intake-client.js';
import { mergeMethods } from './merge.js';
import { teamMethods } from './team-client.js';

/** An error answer of the server (`status` ≥ 400), or `status` 0 when the server could not be reached. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly details?: unknown,
  ) {
    super(message);
  }
}

export interface ClientOptions {
  /** e.g. `http://127.0.0.1:45866` (a trailing slash is fine). */
  baseUrl: string;
  /** The bearer token; without it every `/api` route answers 401. */
  token?: string;
  fetch?: typeof fetch;
  /** Per-request timeout, 30 s by default. */
  timeoutMs?: number;
  /** Headers sent with every call: the surface (`x-gluon-surface`), a session's `x-csrf-token`… */
  headers?: () => Record<string, string>;
}

export type CostGrouping = NonNullable<CostReport['by']>;
export type {
  EventPage,
  FormulaDto,
  FormulaListDto,
  FormulaScope,
  PruneReportDto,
  PullRequestDto,
  ReviewCommentDto,
} from './api.js';

/** Builds a client whose methods map one-to-one to the HTTP routes. */
export function createClient(options: ClientOptions) {
  const { send, request } = createTransport(options);
  const task = (id: string) => `/api/tasks/${encodeURIComponent(id)}`;
  const project = (id: string) => `/api/projects/${encodeURIComponent(id)}`;

  return {
    health: () => request<HealthDto>('GET', '/api/health'),
    listWorkspaces: () => request<WorkspaceDto[]>('GET', '/api/workspaces'),
    agents: () => request<AgentDto[]>('GET', '/api/agents'),
    workers: () => request<WorkerDto[]>('GET', '/api/workers'),
    listProjects: () => request<ProjectDto[]>('GET', '/api/projects'),
    addProject: (body: CreateProjectBody) => request<ProjectDto>('POST', '/api/projects', body),
    updateProject: (name: string, body: UpdateProjectBody) =>
      request<ProjectDto>('PATCH', project(name), body),
    /** A project's files matching `q` (fuzzy), for `@` completion. */
    searchFiles: (id: string, q: string) =>
      request<FileSearchResult>('GET', `${project(id)}/files${query({ q })}`),
    /** The slash commands an agent in the project knows, for `/` completion. */
    listCommands: (id: string) => request<SlashCommandDto[]>('GET', `${project(id)}/commands`),
    listTasks: (filter: { status?: TaskStatus; project?: string } = {}) =>
      request<TaskDto[]>('GET', `/api/tasks${query(filter)}`),
    createTask: (body: CreateTaskBody) => request<TaskDto>('POST', '/api/tasks', body),
    /** Uploads an image for a task's `attachments` (PNG, JPEG, GIF or WebP, up to 10 MB). */
    uploadAttachment: (image: Blob, name: string) =>
      request<AttachmentDto>('POST', `/api/attachments${query({ name })}`, undefined, image),
    /** An attachment's bytes (a browser cannot send the token with an `<img>`, so it shows a blob URL). */
    attachment: async (id: string) =>
      (await send('GET', `/api/attachments/${encodeURIComponent(id)}`)).blob(),
    getTask: (id: string) => request<TaskDto>('GET', task(id)),
    events: (id: string, page: { after?: number; limit?: number } = {}) =>
      request<EventPage>('GET', `${task(id)}/events${query(page)}`),
    runs: (id: string) => request<RunDto[]>('GET', `${task(id)}/runs`),
    move: (id: string, status: TaskStatus) => request<TaskDto>('POST', `${task(id)}/move`, { status }),
    cancel: (id: string) => request<TaskDto>('POST', `${task(id)}/cancel`),
    resume: (id: string, text: string) => request<TaskDto>('POST', `${task(id)}/resume`, { text }),
    answer: (id: string, text: string) => request<TaskDto>('POST', `${task(id)}/answer`, { text }),
    approve: (id: string) => request<TaskDto>('POST', `${task(id)}/approve`),
    deny: (id: string, reason?: string) =>
      request<TaskDto>('POST', `${task(id)}/deny`, reason === undefined ? {} : { reason }),
    stopLoop: (id: string) => request<TaskDto>('POST', `${task(id)}/stop-loop`),
    pr: (id: string) => request<PullRequestDto>('POST', `${task(id)}/pr`),
    commits: (id: string) => request<CommitDto[]>('GET', `${task(id)}/commits`),
    changes: (id: string) => request<ChangesDto>('GET', `${task(id)}/changes`),
    diff: (id: string, which: { path?: string; commit?: string } = {}) =>
      request<DiffDto>('GET', `${task(id)}/diff${query(which)}`),
    resolve: (id: string) => request<TaskDto>('POST', `${task(id)}/resolve`),
    comments: (id: string) => request<ReviewCommentDto[]>('GET', `${task(id)}/comments`),
    addComment: (id: string, body: CreateCommentBody) =>
      request<ReviewCommentDto>('POST', `${task(id)}/comments`, body),
    resolveComment: (id: string, commentId: string, resolved = true) =>
      request<ReviewCommentDto>('POST', `${task(id)}/comments/${encodeURIComponent(commentId)}/resolve`, {
        resolved,
      }),
    deleteComment: async (id: string, commentId: string) => {
      await send('DELETE', `${task(id)}/comments/${encodeURIComponent(commentId)}`);
    },
    /** Makes a queued task wait for more tasks (refused when it would close a cycle). */
    addDependencies: (id: string, after: string[]) =>
      request<TaskDto>('POST', `${task(id)}/dependencies`, { after }),
    /** Sends the pending comments to the agent (a resume), with an optional summary. */
    sendReview: (id: string, body?: string) =>
      request<TaskDto>('POST', `${task(id)}/reviews`, body === undefined ? {} : { body }),
    pruneWorktrees: () => request<PruneReportDto>('POST', '/api/worktrees/prune'),
    costs: (by?: CostGrouping) => request<CostReport>('GET', `/api/costs${query({ by })}`),
    budgets: () => request<BudgetDto[]>('GET', '/api/budgets'),
    setBudget: (body: SetBudgetBody) => request<BudgetDto>('PUT', '/api/budgets', body),
    removeBudget: (id: string) => request<void>('DELETE', `/api/budgets/${encodeURIComponent(id)}`),
    policies: () => request<PolicyEntryDto[]>('GET', '/api/policies'),
    setPolicy: (body: SetPolicyBody) => request<PolicyEntryDto>('PUT', '/api/policies', body),
    removePolicy: (scope: 'workspace' | 'project', name: string) =>
      request<void>('DELETE', `/api/policies/${scope}/${encodeURIComponent(name)}`),
    /** Formulas visible from `project` (a name or id); without one, the user's and the built-ins. */
    listFormulas: (project?: string) => request<FormulaListDto>('GET', `/api/formulas${query({ project })}`),
    getFormula: (name: string, project?: string) =>
      request<FormulaDto>('GET', `/api/formulas/${encodeURIComponent(name)}${query({ project })}`),
    ...intakeMethods(request),
    ...teamMethods(request),
    ...mergeMethods(request),
  };
}

/** How every call goes: the bearer token, a timeout, and error answers turned into `ApiError`. */
function createTransport(options: ClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;

  /** One call: a JSON body or raw bytes (a Blob, or bytes with their type); the answer, or an ApiError. */
  async function send(method: string, path: string, body?: unknown, raw?: Blob): Promise<Response> {
    const headers: Record<string, string> = { ...options.headers?.(), accept: 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (raw) headers['content-type'] = raw.type;
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers,
        body: raw ?? (body === undefined ? undefined : JSON.stringify(body)),
        signal: AbortSignal.timeout(timeoutMs),
      });
    } catch (error) {
      if (error instanceof Error && error.name === 'TimeoutError') {
        throw new ApiError(0, 'timeout', `the Gluon server at ${base} did not answer within ${timeoutMs} ms`);
      }
      throw new ApiError(
        0,
        'unreachable',
        `cannot reach the Gluon server at ${base} — is \`gluon serve\` running?`,
      );
    }
    if (!response.ok) throw toApiError(response, parseJson(await response.text()));
    return response;
  }
  const request = async <T>(method: string, path: string, body?: unknown, raw?: Blob): Promise<T> =>
    parseJson(await (await send(method, path, body, raw)).text()) as T;
  return { send, request };
}

/** The client returned by {@link createClient}. */
export type GluonClient = ReturnType<typeof createClient>;

/**
 * Reads every stored event of a task after `after`, page by page, in `seq` order, until a page says no
 * more follow.
 */
export async function* iterateEvents(
  client: Pick<GluonClient, 'events'>,
  taskId: string,
  options: { after?: number; pageSize?: number } = {},
): AsyncGenerator<GluonEvent> {
  let after = options.after ?? 0;
  const limit = options.pageSize ?? 1000;
  for (;;) {
    const page = await client.events(taskId, { after, limit });
    const before = after;
    for (const event of page.events) {
      if (event.seq <= after) continue;
      after = event.seq;
      yield event;
    }
    if (!page.more || after === before) return;
  }
}

function query(params: Record<string, string | number | undefined>): string {
  const search = new URLSearchParams();
  for (const [key, value] of Object.entries(params)) {
    if (value !== undefined && value !== '') search.set(key, String(value));
  }
  const text = search.toString();
  return text ? `?${text}` : '';
}

function parseJson(text: string): unknown {
  if (!text) return undefined;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}

function toApiError(response: Response, body: unknown): ApiError {
  const error = (body as { error?: { code?: unknown; message?: unknown; details?: unknown } } | undefined)
    ?.error;
  if (error && typeof error.code === 'string' && typeof error.message === 'string') {
    return new ApiError(response.status, error.code, error.message, error.details);
  }
  const statusText = response.statusText ? ` ${response.statusText}` : '';
  return new ApiError(
    response.status,
    'http_error',
    `the server answered HTTP ${response.status}${statusText}`,
  );
}

/**
 * The typed HTTP client of the Gluon API, shared by the CLI, the bots and (later) the web app. It speaks
 * only the contract in `api.ts` and uses the platform `fetch`, so it runs in Node 20 and in browsers.
 */
import type {
  AgentDto,
  AttachmentDto,
  ChangesDto,
  CommitDto,
  CostReport,
  CreateProjectBody,
  CreateTaskBody,
  DiffDto,
  FormulaDto,
  FormulaListDto,
  ProjectDto,
  PruneReportDto,
  PullRequestDto,
  RunDto,
  TaskDto,
  TaskStatus,
  UpdateProjectBody,
} from './api.js';
import type { GluonEvent } from './events.js';

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
}

export type CostGrouping = NonNullable<CostReport['by']>;
export interface EventPage {
  events: GluonEvent[];
  lastSeq: number;
}
export type { PullRequestDto } from './api.js';

export type { FormulaDto, FormulaListDto, FormulaScope, PruneReportDto } from './api.js';

/** Builds a client whose methods map one-to-one to the HTTP routes. */
export function createClient(options: ClientOptions) {
  const base = options.baseUrl.replace(/\/+$/, '');
  const doFetch = options.fetch ?? globalThis.fetch;
  const timeoutMs = options.timeoutMs ?? 30_000;

  /** One call: a JSON body (or raw bytes with their content type), a JSON answer or an ApiError. */
  async function request<T>(
    method: string,
    path: string,
    body?: unknown,
    raw?: { bytes: Uint8Array; type: string },
  ): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json' };
    if (options.token) headers.authorization = `Bearer ${options.token}`;
    if (body !== undefined) headers['content-type'] = 'application/json';
    if (raw) headers['content-type'] = raw.type;
    let response: Response;
    try {
      response = await doFetch(`${base}${path}`, {
        method,
        headers,
        body: raw
          ? new Blob([raw.bytes as Uint8Array<ArrayBuffer>], { type: raw.type })
          : body === undefined
            ? undefined
            : JSON.stringify(body),
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
    const text = await response.text();
    const parsed = parseJson(text);
    if (!response.ok) throw toApiError(response, parsed);
    return parsed as T;
  }

  const task = (id: string) => `/api/tasks/${encodeURIComponent(id)}`;

  return {
    health: () => request<{ ok: true; version: string }>('GET', '/api/health'),
    agents: () => request<AgentDto[]>('GET', '/api/agents'),
    listProjects: () => request<ProjectDto[]>('GET', '/api/projects'),
    addProject: (body: CreateProjectBody) => request<ProjectDto>('POST', '/api/projects', body),
    updateProject: (name: string, body: UpdateProjectBody) =>
      request<ProjectDto>('PATCH', `/api/projects/${encodeURIComponent(name)}`, body),
    listTasks: (filter: { status?: TaskStatus; project?: string } = {}) =>
      request<TaskDto[]>('GET', `/api/tasks${query(filter)}`),
    createTask: (body: CreateTaskBody) => request<TaskDto>('POST', '/api/tasks', body),
    /** Uploads an image for a task's `attachments` (PNG, JPEG, GIF or WebP, up to 10 MB). */
    uploadAttachment: (bytes: Uint8Array, type: string, name: string) =>
      request<AttachmentDto>('POST', `/api/attachments${query({ name })}`, undefined, { bytes, type }),
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
    pruneWorktrees: () => request<PruneReportDto>('POST', '/api/worktrees/prune'),
    costs: (by?: CostGrouping) => request<CostReport>('GET', `/api/costs${query({ by })}`),
    /** Formulas visible from `project` (a name or id); without one, the user's and the built-ins. */
    listFormulas: (project?: string) => request<FormulaListDto>('GET', `/api/formulas${query({ project })}`),
    getFormula: (name: string, project?: string) =>
      request<FormulaDto>('GET', `/api/formulas/${encodeURIComponent(name)}${query({ project })}`),
  };
}

/** The client returned by {@link createClient}. */
export type GluonClient = ReturnType<typeof createClient>;

/**
 * Reads every stored event of a task after `after`, page by page, in `seq` order.
 * A page shorter than the page size is the last one.
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
    if (page.events.length < limit || after === before) return;
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

/**
 * The browser's API client: the shared typed client (shared/client.ts, plain fetch) for the routes it
 * knows, plus the routes only the dashboard uses (file and command completion, attachments, review).
 * Every call carries the bearer token; errors are the shared `ApiError`.
 */
import type {
  AttachmentDto,
  ChangesDto,
  CommitDto,
  DiffDto,
  Profile,
  PullRequestDto,
  TaskDto,
  WorkspaceDto,
} from '../../../shared/api.js';
import { ApiError, createClient } from '../../../shared/client.js';

export interface FileMatch {
  path: string;
  /** Indexes of the matched characters in `path`, for highlighting. */
  positions: number[];
}
export interface FileSearchResult {
  files: FileMatch[];
  total: number;
}
export interface SlashCommand {
  name: string;
  description: string;
  argumentHint: string | null;
  scope: 'project' | 'user';
}
export type { AttachmentDto };
export interface HealthDto {
  ok: boolean;
  version: string;
  /** The server runs `gluon demo`: a sample repository and the scripted test model. */
  demo?: boolean;
  /** Whether the agents have Claude credentials (API key, OAuth token or a login). */
  credentials?: boolean;
  /** The model id each profile runs (from the server's configuration). */
  models?: Partial<Record<Profile, string>>;
}
export interface DayModelCost {
  day: string;
  model: string;
  costUsd: number;
}

/** Builds the dashboard's client for `token` against this origin (or `baseUrl`). */
export function createWebApi(token: string, baseUrl: string = window.location.origin) {
  const client = createClient({ baseUrl, token });

  async function request<T>(method: string, path: string, body?: BodyInit, contentType?: string): Promise<T> {
    const headers: Record<string, string> = { accept: 'application/json', authorization: `Bearer ${token}` };
    if (contentType) headers['content-type'] = contentType;
    let response: Response;
    try {
      response = await fetch(`${baseUrl}${path}`, { method, headers, body });
    } catch {
      throw new ApiError(0, 'unreachable', 'cannot reach the Gluon server');
    }
    const text = await response.text();
    let parsed: unknown = undefined;
    try {
      parsed = text ? JSON.parse(text) : undefined;
    } catch {
      parsed = text;
    }
    if (!response.ok) {
      const error = (parsed as { error?: { code?: string; message?: string } } | undefined)?.error;
      throw new ApiError(
        response.status,
        error?.code ?? 'http_error',
        error?.message ?? `the server answered HTTP ${response.status}`,
      );
    }
    return parsed as T;
  }
  const json = <T>(method: string, path: string, body?: unknown) =>
    request<T>(
      method,
      path,
      body === undefined ? undefined : JSON.stringify(body),
      body === undefined ? undefined : 'application/json',
    );
  const task = (id: string) => `/api/tasks/${encodeURIComponent(id)}`;
  const project = (id: string) => `/api/projects/${encodeURIComponent(id)}`;

  return {
    ...client,
    health: () => json<HealthDto>('GET', '/api/health'),
    workspaces: () => json<WorkspaceDto[]>('GET', '/api/workspaces'),
    searchFiles: (projectId: string, q: string) =>
      json<FileSearchResult>('GET', `${project(projectId)}/files?q=${encodeURIComponent(q)}`),
    commands: (projectId: string) => json<SlashCommand[]>('GET', `${project(projectId)}/commands`),
    uploadAttachment: (file: Blob, name: string) =>
      request<AttachmentDto>('POST', `/api/attachments?name=${encodeURIComponent(name)}`, file, file.type),
    /** The attachment's bytes (images need the token, so they are fetched, then shown from a blob URL). */
    async attachmentBlob(id: string): Promise<Blob> {
      const response = await fetch(`${baseUrl}/api/attachments/${encodeURIComponent(id)}`, {
        headers: { authorization: `Bearer ${token}` },
      });
      if (!response.ok)
        throw new ApiError(response.status, 'http_error', `attachment ${id}: HTTP ${response.status}`);
      return response.blob();
    },
    commits: (id: string) => json<CommitDto[]>('GET', `${task(id)}/commits`),
    changes: (id: string) => json<ChangesDto>('GET', `${task(id)}/changes`),
    diff: (id: string, q: { path?: string; commit?: string }) => {
      const search = new URLSearchParams();
      if (q.path) search.set('path', q.path);
      if (q.commit) search.set('commit', q.commit);
      return json<DiffDto>('GET', `${task(id)}/diff?${search.toString()}`);
    },
    createPr: (id: string) => json<PullRequestDto>('POST', `${task(id)}/pr`),
    resolve: (id: string) => json<TaskDto>('POST', `${task(id)}/resolve`),
    /** Spend per day and model (newer servers); callers fall back to `costs('day')` on a 400. */
    costsByDayAndModel: () => json<{ rows: DayModelCost[] }>('GET', '/api/costs?by=day_model'),
  };
}

export type WebApi = ReturnType<typeof createWebApi>;

/** Whether an error means "this server does not have that route yet" (review routes land separately). */
export function isNotAvailable(error: unknown): boolean {
  return (
    error instanceof ApiError &&
    (error.status === 404 || error.status === 501) &&
    error.code !== 'ambiguous_id'
  );
}

export { ApiError };

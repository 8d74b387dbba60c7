/**
 * The typed HTTP client of the Gluon API, shared by the CLI, the bots and the web dashboard. It speaks
 * only the contract in `api.ts` and uses the platform `fetch`, so it runs in Node 20 and in browsers.
 */
import type { GluonEvent } from './events.js';
import { governanceMethods } from './governance-client.js';
import { intakeMethods } from './intake-client.js';
import { mergeMethods } from './merge.js';
import { projectMethods } from './project-client.js';
import { reviewMethods } from './review-client.js';
import { taskMethods } from './task-client.js';
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

export type { CostGrouping } from './governance-client.js';
export type { EventPage, FormulaDto, FormulaListDto, FormulaScope } from './api.js';
export type { PruneReportDto, PullRequestDto, ReviewCommentDto } from './review-dto.js';

/** Builds a client whose methods map one-to-one to the HTTP routes, grouped by resource in their files. */
export function createClient(options: ClientOptions) {
  const { send, request } = createTransport(options);
  return {
    ...projectMethods(request),
    ...taskMethods(send, request),
    ...reviewMethods(send, request),
    ...governanceMethods(request),
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

/**
 * A scripted fake of the OpenAI Responses API on a real HTTP port, for running the real Codex CLI without
 * network: a model provider whose `base_url` is `<url>/v1`. Stateless per request apart from a retry
 * counter, so any number of agents can share one instance and resumed threads continue where they left off.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InputItem } from './conversation.js';
import type { ErrorReply } from './replies.js';
import { apiError } from './replies.js';
import { scriptReply } from './script.js';
import { openStream, pause, streamFailure, streamResponse } from './sse.js';

export interface FakeOpenAiOptions {
  port?: number;
  host?: string;
  /** Extra delay before every answer, like a model's time to first token. */
  latencyMs?: number;
  /** When set, any other bearer token is refused with 401 `invalid_api_key`. */
  apiKey?: string;
}

export interface RecordedRequest {
  at: number;
  method: string;
  path: string;
  status: number;
  model: string | null;
  scenario: string | null;
  step: number | null;
  turn: number | null;
  stream: boolean;
  /** Codex's `session-id` header (its thread id). */
  sessionId: string | null;
  /** The bearer token the request carried. */
  apiKey: string | null;
  /** How many identical requests were answered before this one (Codex retries). */
  attempt: number;
}

export interface FakeOpenAi {
  url: string;
  /** What a Codex model provider's `base_url` is set to. */
  baseUrl: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;
const MODELS = ['gpt-5.5', 'gpt-5.4', 'gpt-5.4-mini'];

/** Starts the fake on `host` (127.0.0.1) and `port` (0 = any free port). */
export async function startFakeOpenAi(opts: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const requests: RecordedRequest[] = [];
  const attempts = new Map<string, number>();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const bearer = /^Bearer (.+)$/.exec(header(req, 'authorization') ?? '')?.[1] ?? null;
    const record: RecordedRequest = {
      at: Date.now(),
      method: req.method ?? '',
      path,
      status: 200,
      model: null,
      scenario: null,
      step: null,
      turn: null,
      stream: false,
      sessionId: header(req, 'session-id'),
      apiKey: bearer,
      attempt: 0,
    };
    requests.push(record);
    const fail = (reply: ErrorReply): void => {
      record.status = reply.status;
      sendError(res, reply);
    };
    if (!bearer || (opts.apiKey !== undefined && bearer !== opts.apiKey))
      return fail(apiError(401, 'Incorrect API key provided.'));
    if (path === '/v1/models' && req.method === 'GET')
      return sendJson(res, 200, { object: 'list', data: MODELS.map((id) => ({ id, object: 'model' })) });
    if (path !== '/v1/responses' || req.method !== 'POST')
      return fail(apiError(404, `fake-openai: no route for ${req.method} ${path}`));
    const raw = await readBody(req);
    if (raw === null) return fail(apiError(413, `request body exceeds ${MAX_BODY_BYTES} bytes`));
    const body = parseJson(raw);
    if (!body || typeof body.model !== 'string' || !isInput(body.input))
      return fail(apiError(400, 'fake-openai: body must be JSON with a string model and an input array'));
    record.model = body.model;
    record.stream = body.stream === true;

    const key = `${record.sessionId ?? ''}|${createHash('sha1').update(JSON.stringify(body.input)).digest('hex')}`;
    record.attempt = attempts.get(key) ?? 0;
    attempts.set(key, record.attempt + 1);
    const { reply, scenario, conversation } = scriptReply(body.input, record.attempt);
    Object.assign(record, { scenario, step: conversation?.step ?? null, turn: conversation?.turn ?? null });
    const delay = (opts.latencyMs ?? 0) + (reply.kind === 'response' ? (reply.delayMs ?? 0) : 0);
    if (delay > 0 && !(await pause(delay, res))) return;
    switch (reply.kind) {
      case 'error':
        return fail(reply);
      case 'stream_failure':
        return streamFailure(res, body.model, reply.code, reply.message);
      case 'hang':
        openStream(res, body.model);
        await new Promise<void>((resolve) => res.once('close', resolve));
        return;
      case 'response':
        if (record.stream) return streamResponse(res, reply, body.model);
        return fail(apiError(400, 'fake-openai: only streaming requests (stream: true) are scripted'));
    }
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, apiError(500, `fake-openai: ${String(error)}`));
      else res.destroy();
    });
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  return {
    url,
    baseUrl: `${url}/v1`,
    port,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** The body as text, or null when it is too large (the rest is drained, not buffered). */
function readBody(req: IncomingMessage): Promise<string | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function parseJson(raw: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(raw);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function isInput(value: unknown): value is InputItem[] {
  return Array.isArray(value) && value.every((i: unknown) => i !== null && typeof i === 'object');
}

function sendJson(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** An error the way the API shapes it, with the rate-limit headers on a 429. */
function sendError(res: ServerResponse, reply: ErrorReply): void {
  const headers: Record<string, string> = { 'x-request-id': `req_fake${Date.now().toString(36)}` };
  if (reply.retryAfterSeconds !== undefined) {
    const reset = `${reply.retryAfterSeconds}s`;
    Object.assign(headers, {
      'retry-after': String(reply.retryAfterSeconds),
      'retry-after-ms': String(reply.retryAfterSeconds * 1000),
      'x-ratelimit-limit-requests': '500',
      'x-ratelimit-remaining-requests': '0',
      'x-ratelimit-reset-requests': reset,
      'x-ratelimit-limit-tokens': '30000',
      'x-ratelimit-remaining-tokens': '0',
      'x-ratelimit-reset-tokens': reset,
    });
  }
  const error = { message: reply.message, type: reply.type, param: null, code: reply.code };
  sendJson(res, reply.status, { error }, headers);
}

/**
 * A scripted fake of the Anthropic Messages API on a real HTTP port, for running the real Claude Code
 * binary without network (`ANTHROPIC_BASE_URL=<url>`). Stateless per request apart from a retry counter,
 * so any number of agents can share one instance and resumed sessions continue where they left off.
 */
import { createHash } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { ApiMessage } from './conversation.js';
import { errorType } from './replies.js';
import { scriptReply } from './script.js';
import { pause, streamReply, toMessage } from './sse.js';

export interface FakeAnthropicOptions {
  port?: number;
  host?: string;
  /** Extra delay before every answer, like a model's time to first token. */
  latencyMs?: number;
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
  /** Claude Code's `x-claude-code-session-id` header. */
  sessionId: string | null;
  /** How many identical requests were answered before this one (Claude Code retries). */
  attempt: number;
}

export interface FakeAnthropic {
  url: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const MAX_BODY_BYTES = 32 * 1024 * 1024;

/** Starts the fake on `host` (127.0.0.1) and `port` (0 = any free port). */
export async function startFakeAnthropic(opts: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const requests: RecordedRequest[] = [];
  const attempts = new Map<string, number>();
  const latencyMs = opts.latencyMs ?? 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
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
      sessionId: header(req, 'x-claude-code-session-id'),
      attempt: 0,
    };
    requests.push(record);
    const fail = (status: number, message: string, shouldRetry?: boolean): void => {
      record.status = status;
      sendError(res, status, message, shouldRetry);
    };
    const known = path === '/v1/messages' || path === '/v1/messages/count_tokens';
    if (!known || req.method !== 'POST')
      return fail(404, `fake-anthropic: no route for ${req.method} ${path}`);
    if (!header(req, 'x-api-key') && !header(req, 'authorization')) {
      return fail(401, 'x-api-key header is required');
    }
    const raw = await readBody(req);
    if (raw === null) return fail(413, `request body exceeds ${MAX_BODY_BYTES} bytes`);
    const body = parseJson(raw);
    if (!body || typeof body.model !== 'string' || !isMessages(body.messages)) {
      return fail(400, 'fake-anthropic: body must be JSON with a string model and a messages array');
    }
    record.model = body.model;
    if (path.endsWith('/count_tokens'))
      return sendJson(res, 200, { input_tokens: Math.ceil(raw.length / 4) });

    const key = `${record.sessionId ?? ''}|${createHash('sha1').update(JSON.stringify(body.messages)).digest('hex')}`;
    record.attempt = attempts.get(key) ?? 0;
    attempts.set(key, record.attempt + 1);
    const { reply, scenario, conversation } = scriptReply(body.messages, body.system, record.attempt);
    Object.assign(record, { scenario, step: conversation?.step ?? null, turn: conversation?.turn ?? null });
    record.stream = body.stream === true;
    const delay = latencyMs + (reply.kind === 'message' ? (reply.delayMs ?? 0) : 0);
    if (delay > 0 && !(await pause(delay, res))) return;
    if (reply.kind === 'error') return fail(reply.status, reply.message, reply.shouldRetry);
    if (record.stream) return streamReply(res, reply, body.model);
    sendJson(res, 200, toMessage(reply, body.model));
  };

  const server = createServer((req, res) => {
    handle(req, res).catch((error: unknown) => {
      if (!res.headersSent) sendError(res, 500, `fake-anthropic: ${String(error)}`);
      else res.destroy();
    });
  });
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
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

function isMessages(value: unknown): value is ApiMessage[] {
  return (
    Array.isArray(value) &&
    value.every(
      (m: unknown) =>
        m !== null &&
        typeof m === 'object' &&
        typeof (m as ApiMessage).role === 'string' &&
        (typeof (m as ApiMessage).content === 'string' ||
          (Array.isArray((m as ApiMessage).content) &&
            (m as { content: unknown[] }).content.every((b) => b !== null && typeof b === 'object'))),
    )
  );
}

function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

/** An error the way the API shapes it: `{type:'error', error:{type, message}, request_id}`. */
function sendError(res: ServerResponse, status: number, message: string, shouldRetry?: boolean): void {
  const requestId = `req_fake${Date.now().toString(36)}`;
  const headers: Record<string, string> = { 'request-id': requestId };
  if (shouldRetry !== undefined) headers['x-should-retry'] = String(shouldRetry);
  sendJson(
    res,
    status,
    { type: 'error', error: { type: errorType(status), message }, request_id: requestId },
    headers,
  );
}

/**
 * A scripted fake of the OpenAI Responses API on a real HTTP port, for running the real Codex CLI without
 * network: a model provider whose `base_url` is `<url>/v1`. Stateless per request apart from a retry
 * counter, so any number of agents can share one instance and resumed threads continue where they left off.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { header, listen, parseJsonObject, readBody, sendJson } from '../shared/http.js';
import { MAX_BODY_BYTES, createScriptRunner, newRecord, type ScriptedRequest } from '../shared/requests.js';
import { pause } from '../shared/sse.js';
import type { InputItem } from './conversation.js';
import type { ErrorReply } from './replies.js';
import { apiError } from './replies.js';
import { scriptReply } from './script.js';
import { openStream, streamFailure, streamResponse } from './sse.js';

export interface FakeOpenAiOptions {
  port?: number;
  host?: string;
  /** Extra delay before every answer, like a model's time to first token. */
  latencyMs?: number;
  /** When set, any other bearer token is refused with 401 `invalid_api_key`. */
  apiKey?: string;
}

/** A request as the fake saw and answered it (`sessionId` is Codex's `session-id`, its thread id). */
export interface RecordedRequest extends ScriptedRequest {
  /** The bearer token the request carried. */
  apiKey: string | null;
}

export interface FakeOpenAi {
  url: string;
  /** What a Codex model provider's `base_url` is set to. */
  baseUrl: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

const MODELS = ['gpt-5.5', 'gpt-5.4', 'gpt-5.4-mini'];

/** Starts the fake on `host` (127.0.0.1) and `port` (0 = any free port). */
export async function startFakeOpenAi(opts: FakeOpenAiOptions = {}): Promise<FakeOpenAi> {
  const requests: RecordedRequest[] = [];
  const runScript = createScriptRunner();

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const bearer = /^Bearer (.+)$/.exec(header(req, 'authorization') ?? '')?.[1] ?? null;
    const record: RecordedRequest = { ...newRecord(req, 'session-id'), apiKey: bearer };
    const { path } = record;
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
    const bytes = await readBody(req, MAX_BODY_BYTES);
    if (bytes === null) return fail(apiError(413, `request body exceeds ${MAX_BODY_BYTES} bytes`));
    const body = parseJsonObject(bytes.toString('utf8'));
    if (!body || typeof body.model !== 'string' || !isInput(body.input))
      return fail(apiError(400, 'fake-openai: body must be JSON with a string model and an input array'));
    record.model = body.model;
    record.stream = body.stream === true;

    const input = body.input;
    const { reply } = runScript(record, input, (attempt) => scriptReply(input, attempt));
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

  const server = await listen(handle, {
    host: opts.host,
    port: opts.port,
    onFault: (res, error) => {
      if (!res.headersSent) sendError(res, apiError(500, `fake-openai: ${String(error)}`));
      else res.destroy();
    },
  });
  return { url: server.url, baseUrl: `${server.url}/v1`, port: server.port, requests, close: server.close };
}

function isInput(value: unknown): value is InputItem[] {
  return Array.isArray(value) && value.every((i: unknown) => i !== null && typeof i === 'object');
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

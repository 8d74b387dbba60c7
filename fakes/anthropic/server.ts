/**
 * A scripted fake of the Anthropic Messages API on a real HTTP port, for running the real Claude Code
 * binary without network (`ANTHROPIC_BASE_URL=<url>`). Stateless per request apart from a retry counter,
 * so any number of agents can share one instance and resumed sessions continue where they left off.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { header, listen, parseJsonObject, readBody, sendJson } from '../shared/http.js';
import { MAX_BODY_BYTES, createScriptRunner, newRecord, type ScriptedRequest } from '../shared/requests.js';
import { pause } from '../shared/sse.js';
import type { ApiMessage } from './conversation.js';
import { errorType } from './replies.js';
import { scriptReply } from './script.js';
import { streamReply, toMessage } from './sse.js';

export interface FakeAnthropicOptions {
  port?: number;
  host?: string;
  /** Extra delay before every answer, like a model's time to first token. */
  latencyMs?: number;
}

/** A request as the fake saw and answered it (`sessionId` is Claude Code's `x-claude-code-session-id`). */
export type RecordedRequest = ScriptedRequest;

export interface FakeAnthropic {
  url: string;
  port: number;
  requests: RecordedRequest[];
  close(): Promise<void>;
}

/** Starts the fake on `host` (127.0.0.1) and `port` (0 = any free port). */
export async function startFakeAnthropic(opts: FakeAnthropicOptions = {}): Promise<FakeAnthropic> {
  const requests: RecordedRequest[] = [];
  const runScript = createScriptRunner();
  const latencyMs = opts.latencyMs ?? 0;

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const record = newRecord(req, 'x-claude-code-session-id');
    const { path } = record;
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
    const bytes = await readBody(req, MAX_BODY_BYTES);
    if (bytes === null) return fail(413, `request body exceeds ${MAX_BODY_BYTES} bytes`);
    const raw = bytes.toString('utf8');
    const body = parseJsonObject(raw);
    if (!body || typeof body.model !== 'string' || !isMessages(body.messages)) {
      return fail(400, 'fake-anthropic: body must be JSON with a string model and a messages array');
    }
    record.model = body.model;
    if (path.endsWith('/count_tokens'))
      return sendJson(res, 200, { input_tokens: Math.ceil(raw.length / 4) });

    const messages = body.messages;
    const { reply } = runScript(record, messages, (attempt) => scriptReply(messages, body.system, attempt));
    record.stream = body.stream === true;
    const delay = latencyMs + (reply.kind === 'message' ? (reply.delayMs ?? 0) : 0);
    if (delay > 0 && !(await pause(delay, res))) return;
    if (reply.kind === 'error') return fail(reply.status, reply.message, reply.shouldRetry);
    if (record.stream) return streamReply(res, reply, body.model);
    sendJson(res, 200, toMessage(reply, body.model));
  };

  const server = await listen(handle, {
    host: opts.host,
    port: opts.port,
    onFault: (res, error) => {
      if (!res.headersSent) sendError(res, 500, `fake-anthropic: ${String(error)}`);
      else res.destroy();
    },
  });
  return { url: server.url, port: server.port, requests, close: server.close };
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

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { firstUser } from './fixtures.js';
import { startFakeAnthropic, type FakeAnthropic } from './server.js';

let fake: FakeAnthropic;

beforeAll(async () => {
  fake = await startFakeAnthropic();
});

afterAll(async () => {
  await fake.close();
});

function post(path: string, body: unknown, headers: Record<string, string> = { 'x-api-key': 'k' }) {
  return fetch(`${fake.url}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
}

function messagesBody(prompt: string, stream = true) {
  return { model: 'claude-sonnet-4-5', stream, max_tokens: 100, messages: [firstUser(prompt)] };
}

interface SseEvent {
  event: string;
  data: Record<string, unknown> & { type: string };
}

function parseSse(text: string): SseEvent[] {
  return text
    .split('\n\n')
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => {
      const event = /^event: (.*)$/m.exec(chunk)?.[1] ?? '';
      const data = JSON.parse(/^data: (.*)$/m.exec(chunk)?.[1] ?? '{}') as SseEvent['data'];
      expect(data.type).toBe(event);
      return { event, data };
    });
}

describe('POST /v1/messages', () => {
  it('streams the Messages API event sequence with usage split like the real API', async () => {
    const res = await post('/v1/messages?beta=true', messagesBody('[[scenario:bash cmd="echo hi"]]'));
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toBe('text/event-stream');
    const events = parseSse(await res.text());
    expect(events.map((e) => e.event)).toEqual([
      'message_start',
      'ping',
      'content_block_start',
      'content_block_delta',
      'content_block_delta',
      'content_block_stop',
      'message_delta',
      'message_stop',
    ]);
    expect(events[0]?.data.message).toMatchObject({
      model: 'claude-sonnet-4-5',
      role: 'assistant',
      usage: {
        input_tokens: 100,
        output_tokens: 1,
        cache_creation_input_tokens: 0,
        cache_read_input_tokens: 0,
      },
    });
    expect(events[2]?.data.content_block).toMatchObject({ type: 'tool_use', name: 'Bash', input: {} });
    const json = events
      .filter((e) => e.event === 'content_block_delta')
      .map((e) => (e.data.delta as { partial_json: string }).partial_json)
      .join('');
    expect(JSON.parse(json)).toEqual({ command: 'echo hi', description: 'Run the requested command' });
    expect(events[6]?.data).toMatchObject({
      delta: { stop_reason: 'tool_use' },
      usage: { output_tokens: 50 },
    });
  });

  it('streams thinking with a signature and text that concatenates back exactly', async () => {
    const events = parseSse(await (await post('/v1/messages', messagesBody('a  b\n c'))).text());
    const deltas = events.filter((e) => e.event === 'content_block_delta').map((e) => e.data.delta);
    expect(deltas.map((d) => (d as { type: string }).type)).toContain('signature_delta');
    const thinking = deltas.map((d) => (d as { thinking?: string }).thinking ?? '').join('');
    expect(thinking).toBe('The user asks: a  b. I will look around, then write notes.');
  });

  it('answers a non-streaming request with one JSON message', async () => {
    const res = await post('/v1/messages', messagesBody('[[scenario:ask]]', false));
    expect(await res.json()).toMatchObject({
      type: 'message',
      stop_reason: 'end_turn',
      content: [{ type: 'text', text: expect.stringContaining('tabs or spaces') }],
      usage: { input_tokens: 100, output_tokens: 50 },
    });
  });

  it('answers a scripted failure as the API does, with x-should-retry when asked', async () => {
    const res = await post(
      '/v1/messages',
      messagesBody('[[scenario:fail status=529 retry=false message="busy"]]'),
    );
    expect(res.status).toBe(529);
    expect(res.headers.get('x-should-retry')).toBe('false');
    expect(await res.json()).toMatchObject({
      type: 'error',
      error: { type: 'overloaded_error', message: 'busy' },
    });
  });

  it('counts identical requests of a session as attempts, so times= lets a retry succeed', async () => {
    const body = messagesBody('[[scenario:fail status=500 times=1]] unique-7f3a');
    const headers = { 'x-api-key': 'k', 'x-claude-code-session-id': 'session-attempts' };
    expect((await post('/v1/messages', body, headers)).status).toBe(500);
    expect((await post('/v1/messages', body, headers)).status).toBe(200);
    const recorded = fake.requests.filter((r) => r.sessionId === 'session-attempts');
    expect(recorded.map((r) => [r.status, r.attempt, r.scenario, r.step, r.turn])).toEqual([
      [500, 0, 'fail', 0, 0],
      [200, 1, 'fail', 0, 0],
    ]);
  });

  it.each([
    ['bad JSON', '{"model":', 400, 'invalid_request_error'],
    ['a JSON array', '[]', 400, 'invalid_request_error'],
    ['messages of the wrong type', { model: 'm', messages: 'hi' }, 400, 'invalid_request_error'],
    [
      'a null content block',
      { model: 'm', messages: [{ role: 'user', content: [null] }] },
      400,
      'invalid_request_error',
    ],
    ['no human message', { model: 'm', messages: [] }, 400, 'invalid_request_error'],
  ])('rejects %s with a JSON error and keeps serving', async (_name, body, status, type) => {
    const res = await post('/v1/messages', body);
    expect(res.status).toBe(status);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type } });
  });
});

describe('other routes', () => {
  it('requires an API key', async () => {
    const res = await post('/v1/messages', messagesBody('hi'), {});
    expect(res.status).toBe(401);
    expect(await res.json()).toMatchObject({ error: { type: 'authentication_error' } });
  });

  it('counts tokens deterministically', async () => {
    const body = messagesBody('count me');
    const first = (await (await post('/v1/messages/count_tokens?beta=true', body)).json()) as {
      input_tokens: number;
    };
    const again = (await (await post('/v1/messages/count_tokens', body)).json()) as { input_tokens: number };
    expect(first.input_tokens).toBeGreaterThan(0);
    expect(again).toEqual(first);
  });

  it('answers unknown paths and methods with a 404 JSON error and records them', async () => {
    const res = await fetch(`${fake.url}/v1/models`);
    expect(res.status).toBe(404);
    expect(await res.json()).toMatchObject({ type: 'error', error: { type: 'not_found_error' } });
    expect((await fetch(`${fake.url}/v1/messages`)).status).toBe(404);
    expect(fake.requests.some((r) => r.method === 'GET' && r.path === '/v1/models' && r.status === 404)).toBe(
      true,
    );
  });
});

describe('lifecycle', () => {
  it('closes promptly while a slow stream is still open', async () => {
    const own = await startFakeAnthropic({ latencyMs: 1 });
    const res = await fetch(`${own.url}/v1/messages`, {
      method: 'POST',
      headers: { 'x-api-key': 'k' },
      body: JSON.stringify(messagesBody('[[scenario:slow ms=60000]]')),
    });
    expect(res.status).toBe(200);
    await own.close();
    await expect(res.text()).rejects.toThrow();
    expect(own.requests).toHaveLength(1);
  });
});

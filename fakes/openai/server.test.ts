import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { threadStart } from './fixtures.js';
import { startFakeOpenAi, type FakeOpenAi } from './server.js';

let fake: FakeOpenAi;

beforeAll(async () => {
  fake = await startFakeOpenAi({ apiKey: 'sk-right' });
});

afterAll(async () => {
  await fake.close();
});

function post(prompt: string, opts: { key?: string; stream?: boolean; signal?: AbortSignal } = {}) {
  return fetch(`${fake.baseUrl}/responses`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${opts.key ?? 'sk-right'}` },
    body: JSON.stringify({ model: 'gpt-5.5', stream: opts.stream ?? true, input: threadStart(prompt) }),
    signal: opts.signal,
  });
}

type Data = Record<string, unknown> & { type: string; sequence_number: number };

function parseSse(text: string): Data[] {
  return text
    .split('\n\n')
    .filter((chunk) => chunk.trim() !== '')
    .map((chunk) => {
      const event = /^event: (.*)$/m.exec(chunk)?.[1] ?? '';
      const data = JSON.parse(/^data: (.*)$/m.exec(chunk)?.[1] ?? '{}') as Data;
      expect(data.type).toBe(event);
      return data;
    });
}

describe('POST /v1/responses', () => {
  it('streams a function call the way the Responses API does, ending with usage', async () => {
    const res = await post('[[scenario:shell cmd="echo hi"]] run it');
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
    const events = parseSse(await res.text());
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.output_item.added',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.delta',
      'response.function_call_arguments.done',
      'response.output_item.done',
      'response.completed',
    ]);
    expect(events.map((e) => e.sequence_number)).toEqual(events.map((_, i) => i));
    const args = events
      .filter((e) => e.type === 'response.function_call_arguments.delta')
      .map((e) => e.delta)
      .join('');
    expect(JSON.parse(args)).toEqual({ cmd: 'echo hi' });
    expect(events[6]?.item).toMatchObject({ type: 'function_call', name: 'exec_command', arguments: args });
    expect((events[7]?.response as Record<string, unknown>).usage).toEqual({
      input_tokens: 1000,
      input_tokens_details: { cached_tokens: 400 },
      output_tokens: 100,
      output_tokens_details: { reasoning_tokens: 40 },
      total_tokens: 1100,
    });
  });

  it('streams reasoning summaries and text deltas that add up to the whole text', async () => {
    const events = parseSse(await (await post('[[scenario:think]] why?')).text());
    const types = events.map((e) => e.type);
    expect(types).toContain('response.reasoning_summary_text.delta');
    const text = events
      .filter((e) => e.type === 'response.output_text.delta')
      .map((e) => e.delta)
      .join('');
    expect(text).toBe('Here is my answer after thinking it through.');
    expect(events.find((e) => e.type === 'response.output_text.done')?.text).toBe(text);
  });

  it('answers to the scenario names of fakes/anthropic for the same behaviour', async () => {
    const bash = parseSse(await (await post('[[scenario:bash cmd="pwd"]]')).text());
    expect(bash.find((e) => e.type === 'response.output_item.done')?.item).toMatchObject({
      name: 'exec_command',
      arguments: JSON.stringify({ cmd: 'pwd' }),
    });
    const slow = parseSse(await (await post('[[scenario:slow ms=100]]')).text());
    expect(slow.filter((e) => e.type === 'response.output_text.delta').length).toBeGreaterThan(5);
  });

  it('applies usage overrides, never counting more cached than input tokens', async () => {
    const events = parseSse(
      await (await post('[[scenario:text input_tokens=10 cached_tokens=50 output_tokens=7]] hi')).text(),
    );
    const usage = (events.at(-1)?.response as { usage: Record<string, unknown> }).usage;
    expect(usage).toMatchObject({ input_tokens: 10, input_tokens_details: { cached_tokens: 10 } });
    expect(usage.output_tokens).toBe(7);
  });

  it('answers a rate limit with 429, the API error body and rate-limit headers', async () => {
    const res = await post('[[scenario:fail status=429 retry_after=3 message="Slow down."]]');
    expect(res.status).toBe(429);
    expect(res.headers.get('retry-after')).toBe('3');
    expect(res.headers.get('x-ratelimit-remaining-requests')).toBe('0');
    expect(await res.json()).toEqual({
      error: { message: 'Slow down.', type: 'requests', param: null, code: 'rate_limit_exceeded' },
    });
  });

  it('fails only the first K identical attempts with times=K', async () => {
    const prompt = '[[scenario:fail status=500 times=1]] flaky';
    expect((await post(prompt)).status).toBe(500);
    const second = await post(prompt);
    expect(second.status).toBe(200);
    expect(await second.text()).toContain('Recovered after 1 failed attempt(s).');
  });

  it('ends a started stream with response.failed', async () => {
    const events = parseSse(await (await post('[[scenario:stream-fail code=server_error]]')).text());
    expect(events.map((e) => e.type)).toEqual([
      'response.created',
      'response.in_progress',
      'response.failed',
    ]);
    expect(events[2]?.response).toMatchObject({ status: 'failed', error: { code: 'server_error' } });
  });

  it('keeps a hanging stream open until the client goes away', async () => {
    const abort = new AbortController();
    const res = await post('[[scenario:hang]]', { signal: abort.signal });
    const reader = res.body!.getReader();
    const first = new TextDecoder().decode((await reader.read()).value);
    expect(first).toContain('response.created');
    const next = reader.read();
    const outcome = await Promise.race([
      next.then(() => 'more'),
      new Promise((r) => setTimeout(() => r('silent'), 300)),
    ]);
    expect(outcome).toBe('silent');
    abort.abort();
    await next.catch(() => undefined);
  });

  it('refuses a wrong key, an unknown route, an unknown scenario and a non-streaming request', async () => {
    expect((await post('hi', { key: 'sk-wrong' })).status).toBe(401);
    const route = await fetch(`${fake.url}/v1/chat/completions`, {
      method: 'POST',
      headers: { authorization: 'Bearer sk-right' },
    });
    expect(route.status).toBe(404);
    const unknown = await post('[[scenario:nope]]');
    expect(unknown.status).toBe(400);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(
      /unknown scenario "nope"/,
    );
    expect((await post('[[scenario:text]]', { stream: false })).status).toBe(400);
    expect(fake.requests.at(-1)).toMatchObject({ scenario: 'text', model: 'gpt-5.5', apiKey: 'sk-right' });
  });
});

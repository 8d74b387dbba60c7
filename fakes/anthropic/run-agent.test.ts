/**
 * End to end: the real Claude Code binary (through the Agent SDK) against the fake, executing tools
 * for real in a temp directory. These also pin down SDK behaviour the server relies on (usage per
 * assistant message, cumulative cost across resume, how API errors surface).
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { SDKAssistantMessage, SDKMessage } from '@anthropic-ai/claude-agent-sdk';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { allowAll, runAgent, type RunAgentOptions } from './run-agent.js';
import { ASK_TEXT, QUESTION } from './scenarios.js';
import { startFakeAnthropic, type FakeAnthropic } from './server.js';

/** One response at default usage: 100 in × $3/M + 50 out × $15/M. */
const RESPONSE_USD = 0.00105;

let fake: FakeAnthropic;
let root: string;

beforeAll(async () => {
  fake = await startFakeAnthropic();
  root = mkdtempSync(join(tmpdir(), 'gluon-fake-e2e-'));
});

afterAll(async () => {
  await fake.close();
  rmSync(root, { recursive: true, force: true });
});

/** A fresh working directory and HOME for one agent. */
function workspace(name: string): { cwd: string; home: string } {
  const cwd = join(root, name, 'wd');
  const home = join(root, name, 'home');
  mkdirSync(cwd, { recursive: true });
  mkdirSync(home, { recursive: true });
  return { cwd, home };
}

function run(ws: { cwd: string; home: string }, prompt: string, extra: Partial<RunAgentOptions> = {}) {
  return runAgent({ baseUrl: fake.url, ...ws, prompt, ...extra });
}

function requestsOf(sessionId: string | null) {
  return fake.requests.filter((r) => r.sessionId === sessionId);
}

const assistants = (messages: SDKMessage[]) =>
  messages.filter((m): m is SDKAssistantMessage => m.type === 'assistant');

describe('Claude Code against the fake', () => {
  it('write-file: writes the file, and prices each response once from message_delta output', async () => {
    const ws = workspace('write-file');
    const agent = await run(ws, '[[scenario:write-file path=out/hello.txt content="hi there\\n"]]');
    expect(agent.error).toBeNull();
    expect(readFileSync(join(ws.cwd, 'out/hello.txt'), 'utf8')).toBe('hi there\n');
    expect(agent.result).toMatchObject({
      subtype: 'success',
      is_error: false,
      result: 'Wrote out/hello.txt.',
    });
    expect(agent.result?.total_cost_usd).toBeCloseTo(2 * RESPONSE_USD, 10);
    // Assistant messages carry message_start's usage: output_tokens is still 1.
    for (const m of assistants(agent.messages)) {
      expect(m.message.usage).toMatchObject({ input_tokens: 100, output_tokens: 1 });
    }
    expect(requestsOf(agent.sessionId).map((r) => [r.path, r.scenario, r.step, r.stream])).toEqual([
      ['/v1/messages', 'write-file', 0, true],
      ['/v1/messages', 'write-file', 1, true],
    ]);
  });

  it('demo: thinking, ls, a notes file from the prompt, cat; one assistant message per content block', async () => {
    const ws = workspace('demo');
    const agent = await run(ws, 'Add a changelog');
    expect(readFileSync(join(ws.cwd, 'NOTES.md'), 'utf8')).toContain('Add a changelog');
    expect(agent.result?.total_cost_usd).toBeCloseTo(4 * RESPONSE_USD, 10);
    const first = assistants(agent.messages).slice(0, 3);
    expect(first.map((m) => m.message.content[0]?.type)).toEqual(['thinking', 'text', 'tool_use']);
    expect(new Set(first.map((m) => m.message.id)).size).toBe(1);
  });

  it('echo-prompt: shell metacharacters reach the agent untouched and run nowhere', async () => {
    const ws = workspace('echo-prompt');
    const hostile = `$(touch canary) \`touch canary2\` ; rm -rf / "quotes" 'single' \\ \n newline & | > x.txt`;
    const agent = await run(ws, `[[scenario:echo-prompt]] ${hostile}`);
    expect(agent.error).toBeNull();
    expect(readFileSync(join(ws.cwd, 'prompt.md'), 'utf8')).toBe(hostile.trim());
    for (const name of ['canary', 'canary2', 'x.txt']) expect(existsSync(join(ws.cwd, name))).toBe(false);
  });

  it('question: an answer given through canUseTool lands in answer.txt', async () => {
    const ws = workspace('question');
    const agent = await run(ws, '[[scenario:question]]', {
      canUseTool: (name, input, options) =>
        name === 'AskUserQuestion'
          ? Promise.resolve({
              behavior: 'allow',
              updatedInput: { ...input, answers: { [QUESTION]: 'blue' } },
            })
          : allowAll(name, input, options),
    });
    expect(agent.error).toBeNull();
    expect(readFileSync(join(ws.cwd, 'answer.txt'), 'utf8')).toBe('blue');
  });

  it('question: a denied question fails the run; the answer arrives by resume', async () => {
    const ws = workspace('question-resume');
    const first = await run(ws, '[[scenario:question]]', {
      canUseTool: (name, input, options) =>
        name === 'AskUserQuestion'
          ? Promise.resolve({ behavior: 'deny', message: 'Waiting for a human', interrupt: true })
          : allowAll(name, input, options),
    });
    expect(first.result).toMatchObject({ subtype: 'error_during_execution', is_error: true });
    expect(first.error).not.toBeNull();
    const second = await run(ws, 'red', { resume: first.sessionId ?? undefined });
    expect(second.sessionId).toBe(first.sessionId);
    expect(readFileSync(join(ws.cwd, 'answer.txt'), 'utf8')).toBe('red');
  });

  it('ask + resume: the reply is written; total_cost_usd is cumulative across the resume', async () => {
    const ws = workspace('ask');
    const first = await run(ws, '[[scenario:ask]] set up formatting');
    expect(first.result).toMatchObject({ subtype: 'success', result: ASK_TEXT });
    const second = await run(ws, 'spaces', { resume: first.sessionId ?? undefined });
    expect(readFileSync(join(ws.cwd, 'reply.txt'), 'utf8')).toBe('spaces');
    expect(first.result?.total_cost_usd).toBeCloseTo(RESPONSE_USD, 10);
    expect(second.result?.total_cost_usd).toBeCloseTo(3 * RESPONSE_USD, 10);
    // `usage` covers only this query; modelUsage, like the cost, includes the earlier run.
    expect(second.result?.usage).toMatchObject({ input_tokens: 200, output_tokens: 100 });
    expect(second.result?.modelUsage['claude-sonnet-4-5']).toMatchObject({
      inputTokens: 300,
      outputTokens: 150,
    });
  });

  it('danger: the rm -rf build call really runs once approved', async () => {
    const ws = workspace('danger');
    mkdirSync(join(ws.cwd, 'build'));
    const seen: string[] = [];
    await run(ws, '[[scenario:danger]]', {
      canUseTool: (name, input, options) => {
        seen.push(`${name}:${String(input.command)}`);
        return allowAll(name, input, options);
      },
    });
    expect(seen).toEqual(['Bash:rm -rf build']);
    expect(existsSync(join(ws.cwd, 'build'))).toBe(false);
  });

  it('loop-forever: ticks until maxTurns, at 20,000 in + 2,000 out per response', async () => {
    const ws = workspace('loop');
    const agent = await run(ws, '[[scenario:loop-forever delay=10]]', { maxTurns: 3 });
    expect(agent.result).toMatchObject({ subtype: 'error_max_turns' });
    expect(readFileSync(join(ws.cwd, 'ticks.txt'), 'utf8')).toBe('tick\ntick\ntick\n');
    expect(agent.result?.total_cost_usd).toBeCloseTo(3 * (0.06 + 0.03), 10);
  });

  it('slow: text arrives as several stream deltas', async () => {
    const ws = workspace('slow');
    const agent = await run(ws, '[[scenario:slow ms=300]]', { includePartialMessages: true });
    const deltas = agent.messages.filter(
      (m) => m.type === 'stream_event' && m.event.type === 'content_block_delta',
    );
    expect(deltas.length).toBeGreaterThanOrEqual(5);
    expect(agent.result?.is_error).toBe(false);
  });

  it('many agents share one fake concurrently', async () => {
    const names = ['a', 'b', 'c'];
    const agents = await Promise.all(
      names.map((n) => run(workspace(`parallel-${n}`), `[[scenario:write-file path=${n}.txt content=${n}]]`)),
    );
    for (const [i, n] of names.entries()) {
      expect(agents[i]?.error).toBeNull();
      expect(readFileSync(join(root, `parallel-${n}`, 'wd', `${n}.txt`), 'utf8')).toBe(n);
    }
  });
});

describe('API errors as Claude Code sees them', () => {
  it('400: no backoff, a few quick retries with fewer betas, then an error result and a throw', async () => {
    const agent = await run(workspace('fail-400'), '[[scenario:fail status=400 message="bad thing"]]');
    const seen = requestsOf(agent.sessionId);
    expect(seen.length).toBeGreaterThanOrEqual(1);
    expect(seen.every((r) => r.status === 400)).toBe(true);
    expect(agent.result).toMatchObject({
      is_error: true,
      api_error_status: 400,
      result: 'API Error: 400 bad thing',
    });
    expect(agent.error?.message).toContain('API Error: 400 bad thing');
  });

  it('500 with x-should-retry: false fails at once, with one request', async () => {
    const agent = await run(workspace('fail-500'), '[[scenario:fail status=500 retry=false]]');
    expect(requestsOf(agent.sessionId).map((r) => r.status)).toEqual([500]);
    expect(agent.result).toMatchObject({ is_error: true, api_error_status: 500 });
  });

  it('529 once, then success: Claude Code backs off, reports api_retry, and recovers', async () => {
    const agent = await run(workspace('fail-529'), '[[scenario:fail status=529 times=1]]');
    expect(agent.messages.some((m) => m.type === 'system' && m.subtype === 'api_retry')).toBe(true);
    expect(requestsOf(agent.sessionId).map((r) => [r.status, r.attempt])).toEqual([
      [529, 0],
      [200, 1],
    ]);
    expect(agent.result).toMatchObject({ is_error: false, result: 'Recovered after 1 failed attempt(s).' });
  });
});

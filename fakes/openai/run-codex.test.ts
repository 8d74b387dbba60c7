/**
 * The real Codex CLI against the fake: proof that the fake speaks the Responses API well enough for
 * Codex to run tools, stream, fail and resume, and that the config keeps Codex off every other host.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCodex, type RunCodexOptions } from './run-codex.js';
import { ASK_TEXT } from './scenarios.js';
import { startFakeOpenAi, type FakeOpenAi } from './server.js';
import { startStrayTrafficTrap, type StrayTrafficTrap } from './stray-traffic.js';

let fake: FakeOpenAi;
let trap: StrayTrafficTrap;
let base: string;

beforeAll(async () => {
  fake = await startFakeOpenAi({ apiKey: 'sk-fake-openai' });
  trap = await startStrayTrafficTrap();
  base = mkdtempSync(path.join(os.tmpdir(), 'gluon-fake-openai-'));
});

afterAll(async () => {
  await fake.close();
  await trap.close();
  rmSync(base, { recursive: true, force: true });
});

let n = 0;
function workspace(): Omit<RunCodexOptions, 'prompt'> {
  n += 1;
  const cwd = path.join(base, `repo-${n}`);
  mkdirSync(cwd, { recursive: true });
  execFileSync('git', ['init', '-q', cwd]);
  return { baseUrl: fake.baseUrl, cwd, home: path.join(base, `home-${n}`), env: trap.env };
}

const items = (events: Record<string, unknown>[], type: string) =>
  events
    .filter((e) => e.type === 'item.completed')
    .map((e) => e.item as Record<string, unknown>)
    .filter((i) => i.type === type);

describe('the real Codex CLI against the fake Responses API', () => {
  it('runs a shell command that writes a file, reports reasoning, text and usage, and calls nothing else', async () => {
    const ws = workspace();
    const run = await runCodex({ ...ws, prompt: '[[scenario:demo path=NOTES.md]] Take notes' });
    expect(run.exitCode).toBe(0);
    expect(readFileSync(path.join(ws.cwd, 'NOTES.md'), 'utf8')).toContain('Take notes');
    expect(items(run.events, 'reasoning')[0]?.text).toContain('The user asks: Take notes');
    expect(items(run.events, 'command_execution').map((i) => i.exit_code)).toEqual([0, 0]);
    expect(items(run.events, 'agent_message').at(-1)?.text).toMatch(/wrote NOTES\.md/);
    // Three responses of 1000 input (400 cached) and 100 output (40 reasoning) tokens each.
    expect(run.events.at(-1)).toEqual({
      type: 'turn.completed',
      usage: expect.objectContaining({ input_tokens: 3000, cached_input_tokens: 1200, output_tokens: 300 }),
    });
    expect(fake.requests.filter((r) => r.sessionId === run.threadId).map((r) => r.step)).toEqual([0, 1, 2]);
    expect(trap.hits).toEqual([]);
  });

  it('applies a patch through the freeform apply_patch tool', async () => {
    const ws = workspace();
    const run = await runCodex({ ...ws, prompt: '[[scenario:patch path=p.txt content="one\\ntwo"]]' });
    expect(run.exitCode).toBe(0);
    expect(readFileSync(path.join(ws.cwd, 'p.txt'), 'utf8')).toBe('one\ntwo\n');
    expect(items(run.events, 'file_change')[0]).toMatchObject({ status: 'completed' });
  });

  it('resumes a thread by id, continuing the same conversation', async () => {
    const ws = workspace();
    const first = await runCodex({ ...ws, prompt: '[[scenario:ask]] Set up formatting' });
    expect(items(first.events, 'agent_message').at(-1)?.text).toBe(ASK_TEXT);
    const second = await runCodex({ ...ws, prompt: 'Tabs, please.', resume: first.threadId! });
    expect(second.exitCode).toBe(0);
    expect(second.threadId).toBe(first.threadId);
    expect(readFileSync(path.join(ws.cwd, 'reply.txt'), 'utf8')).toBe('Tabs, please.');
    expect(fake.requests.filter((r) => r.sessionId === first.threadId).map((r) => r.turn)).toEqual([0, 1, 1]);
  });

  it('fails the turn on a rate limit and on a stream that fails midway', async () => {
    const limited = await runCodex({ ...workspace(), prompt: '[[scenario:fail status=429]]' });
    expect(limited.exitCode).toBe(1);
    expect(limited.events.at(-1)).toMatchObject({
      type: 'turn.failed',
      error: { message: expect.stringMatching(/429 Too Many Requests/) },
    });
    const broken = await runCodex({ ...workspace(), prompt: '[[scenario:stream-fail message="boom"]]' });
    expect(broken.exitCode).toBe(1);
    expect(broken.events.at(-1)).toMatchObject({
      type: 'turn.failed',
      error: { message: expect.stringMatching(/boom/) },
    });
  });

  it('sends the key named by the provider, and fails with a wrong one', async () => {
    const run = await runCodex({ ...workspace(), prompt: '[[scenario:text]]', apiKey: 'sk-wrong' });
    expect(run.exitCode).toBe(1);
    expect(run.events.at(-1)).toMatchObject({ type: 'turn.failed' });
    expect(fake.requests.at(-1)).toMatchObject({ status: 401, apiKey: 'sk-wrong' });
  });
});

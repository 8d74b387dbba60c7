/**
 * The Codex adapter through the real Codex CLI against the fake OpenAI Responses API: real processes,
 * real git workspaces, Codex's own sandbox.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ASK_TEXT } from '../../../fakes/openai/index.js';
import type { AgentOutcome } from './agent.js';
import { isGroupAlive } from './process-group.js';
import {
  CODEX_TEST_KEY,
  codexScript,
  processesIn,
  recordingHooks,
  startCodexHarness,
  type CodexHarness,
} from './testing/codex-harness.js';

let h: CodexHarness;

beforeAll(async () => {
  h = await startCodexHarness();
});

afterAll(async () => {
  await h.close();
});

/** gpt-5.5: 600 fresh × $5 + 400 cached × $0.50 + 100 output × $30 per million, per fake response. */
const PER_RESPONSE = 0.0062;

async function waitFor(what: string, pred: () => boolean, ms = 30_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

describe('the Codex agent', () => {
  it('runs a shell command that writes a file, reporting the call, its result, the text and the session', async () => {
    const cwd = await h.workspace();
    const rec = recordingHooks();
    const outcome = await h.agent.start(
      h.request(codexScript.writeFile('hello.txt', 'Hello from Codex'), cwd),
      rec.hooks,
    ).done;
    expect(outcome).toMatchObject({ ok: true, stoppedBy: null, error: null, finalText: 'Wrote hello.txt.' });
    expect(readFileSync(path.join(cwd, 'hello.txt'), 'utf8')).toBe('Hello from Codex');
    expect(outcome.sessionId).toMatch(/^[0-9a-f-]{36}$/);
    expect(rec.sessions).toEqual([outcome.sessionId]);
    expect(rec.pids).toHaveLength(1);
    const types = rec.events.map((e) => e.type);
    expect(types).toEqual(['run.session', 'tool.called', 'tool.result', 'agent.text']);
    expect(rec.events[0]).toMatchObject({ data: { sessionId: outcome.sessionId, model: 'gpt-5.5' } });
    expect(rec.events[1]).toMatchObject({
      type: 'tool.called',
      data: { name: 'Bash', input: { command: "printf '%s' 'Hello from Codex' > 'hello.txt'" } },
    });
    expect(rec.events[2]).toMatchObject({ type: 'tool.result', data: { isError: false } });
    // Codex asked for nothing: exec mode has no approvals.
    expect(rec.toolRequests).toEqual([]);
    expect(h.fake.requests.at(-1)).toMatchObject({ apiKey: CODEX_TEST_KEY, sessionId: outcome.sessionId });
    expect(h.trap.hits).toEqual([]);
  });

  it('prices the turn from its usage: fresh, cached and output tokens at gpt-5.5 rates', async () => {
    const rec = recordingHooks();
    const outcome = await h.agent.start(
      h.request(codexScript.writeFile('a.txt', 'a'), await h.workspace()),
      rec.hooks,
    ).done;
    // Two responses: the shell call, then the summary.
    expect(outcome.costUsd).toBeCloseTo(2 * PER_RESPONSE, 12);
    expect(outcome.reconciled).toBe(true);
    expect(outcome.sessionTotalUsd).toBeCloseTo(2 * PER_RESPONSE, 12);
    expect(outcome.byModel).toEqual([
      {
        model: 'gpt-5.5',
        costUsd: expect.closeTo(2 * PER_RESPONSE, 12),
        inputTokens: 1200,
        cacheReadTokens: 800,
        outputTokens: 200,
        cacheWriteTokens: 0,
      },
    ]);
    expect(rec.costs.at(-1)?.runCostUsd).toBeCloseTo(2 * PER_RESPONSE, 12);
  });

  it('streams events while the agent works, before its process ends', async () => {
    const rec = recordingHooks();
    let finished = false;
    const seenWhileRunning: string[] = [];
    const origin = rec.hooks.onEvent;
    rec.hooks.onEvent = (e) => {
      origin(e);
      if (!finished) seenWhileRunning.push(e.type);
    };
    const run = h.agent.start(h.request(codexScript.slowShell(2), await h.workspace()), rec.hooks);
    await waitFor('the command to start', () => seenWhileRunning.includes('tool.called'));
    expect(rec.events.map((e) => e.type)).toEqual(['run.session', 'agent.text', 'tool.called']);
    expect(rec.events[1]).toMatchObject({ data: { text: 'Starting a command that takes 2 s.' } });
    const outcome = await run.done;
    finished = true;
    expect(outcome.ok).toBe(true);
    expect(rec.events.map((e) => e.type).slice(3)).toEqual(['tool.result', 'agent.text']);
    expect(rec.events.at(-1)).toMatchObject({ data: { text: 'The slow command finished: slept' } });
  });

  it('resumes a session by its id, and counts only the resumed run’s own tokens', async () => {
    const cwd = await h.workspace();
    const first = await h.agent.start(h.request(codexScript.ask(), cwd), recordingHooks().hooks).done;
    expect(first.finalText).toBe(ASK_TEXT);
    expect(first.costUsd).toBeCloseTo(PER_RESPONSE, 12);
    const rec = recordingHooks();
    const second = await h.agent.start(
      h.request('Tabs, please.', cwd, {
        resumeSessionId: first.sessionId,
        priorSessionTotalUsd: first.sessionTotalUsd ?? 0,
      }),
      rec.hooks,
    ).done;
    expect(second).toMatchObject({
      ok: true,
      sessionId: first.sessionId,
      finalText: 'Saved your reply to reply.txt.',
    });
    expect(readFileSync(path.join(cwd, 'reply.txt'), 'utf8')).toBe('Tabs, please.');
    // The thread's total is three responses; this run made two of them.
    expect(second.sessionTotalUsd).toBeCloseTo(3 * PER_RESPONSE, 12);
    expect(second.costUsd).toBeCloseTo(2 * PER_RESPONSE, 12);
    expect(second.byModel[0]).toMatchObject({ inputTokens: 1200, cacheReadTokens: 800, outputTokens: 200 });
  });

  it('cancels mid-run through the process group, leaving no process, with the live cost counted', async () => {
    const cwd = await h.workspace();
    const rec = recordingHooks();
    const run = h.agent.start(h.request(codexScript.loopForever(), cwd), rec.hooks);
    // The live figure comes from Codex's rollout while the turn goes on: wait for it to grow twice.
    await waitFor('the live cost to grow', () => rec.costs.length >= 2);
    expect(rec.costs[1]!.runCostUsd).toBeGreaterThan(rec.costs[0]!.runCostUsd);
    run.stop('cancelled');
    const outcome: AgentOutcome = await run.done;
    expect(outcome).toMatchObject({ ok: false, stoppedBy: 'cancelled', error: null });
    expect(outcome.costUsd).toBeGreaterThanOrEqual(rec.costs[1]!.runCostUsd);
    expect(outcome.reconciled).toBe(false);
    expect(isGroupAlive(rec.pids[0]!)).toBe(false);
    expect(existsSync(path.join(cwd, 'ticks.txt'))).toBe(true);
  });

  it('cancels during a long command, leaving neither Codex nor the command', async () => {
    const cwd = await h.workspace();
    const rec = recordingHooks();
    const run = h.agent.start(h.request(codexScript.slowShell(30), cwd), rec.hooks);
    await waitFor('the command to run', () => processesIn(cwd).length > 1);
    run.stop('cancelled');
    expect((await run.done).stoppedBy).toBe('cancelled');
    expect(processesIn(cwd)).toEqual([]);
  });

  it('ends the commands of a Codex that dies, which run in sessions of their own', async () => {
    const cwd = await h.workspace();
    const rec = recordingHooks();
    const run = h.agent.start(h.request(codexScript.slowShell(30), cwd), rec.hooks);
    await waitFor('the command to run', () => processesIn(cwd).length > 1);
    await new Promise((r) => setTimeout(r, 1200)); // one refresh of the agent's process list
    process.kill(rec.pids[0]!, 'SIGKILL');
    const outcome = await run.done;
    expect(outcome).toMatchObject({ ok: false, stoppedBy: null, error: { retryable: false } });
    expect(outcome.error?.message).toMatch(/codex exited/);
    expect(processesIn(cwd)).toEqual([]);
  });

  it('stops a run whose model never answers', async () => {
    const rec = recordingHooks();
    const run = h.agent.start(h.request(codexScript.hang(), await h.workspace()), rec.hooks);
    await waitFor('the request to the model', () => h.fake.requests.some((r) => r.scenario === 'hang'));
    run.stop('cancelled');
    const outcome = await run.done;
    expect(outcome.stoppedBy).toBe('cancelled');
    expect(isGroupAlive(rec.pids[0]!)).toBe(false);
  });

  it('keeps its commands inside the worktree (git metadata read-only) and away from the API key', async () => {
    const cwd = await h.workspace();
    // Outside the worktree and outside the temporary directories the sandbox leaves writable.
    const outside = `/var/tmp/gluon-codex-escape-${process.pid}-${Date.now()}.txt`;
    const rec = recordingHooks();
    const script = `env; echo escaped > ${outside}; echo hooked > .git/hooks/pre-commit`;
    await h.agent.start(h.request(codexScript.shell(script), cwd), rec.hooks).done;
    const result = rec.events.find((e) => e.type === 'tool.result');
    const output = result?.type === 'tool.result' ? result.data.output : '';
    expect(existsSync(outside)).toBe(false);
    expect(existsSync(path.join(cwd, '.git', 'hooks', 'pre-commit'))).toBe(false);
    expect(output).toMatch(/Read-only file system/);
    expect(result).toMatchObject({ data: { isError: true } });
    expect(output).toMatch(/PATH=/);
    expect(output).not.toContain(CODEX_TEST_KEY);
    expect(output).not.toMatch(/OPENAI_API_KEY|CODEX_HOME/);
  });

  it('refuses what it cannot hold (an approval policy, plan mode) without starting a process', async () => {
    const cwd = await h.workspace();
    const before = h.fake.requests.length;
    for (const over of [
      { approval: 'careful' as const },
      { approval: 'strict' as const },
      { planMode: true },
    ]) {
      const rec = recordingHooks();
      const outcome = await h.agent.start(h.request(codexScript.text('hi'), cwd, over), rec.hooks).done;
      expect(outcome).toMatchObject({ ok: false, error: { retryable: false } });
      expect(outcome.error?.message).toMatch(/approval|plan mode/);
      expect(rec.pids).toEqual([]);
    }
    expect(h.fake.requests.length).toBe(before);
  });

  it('sends the prompt’s images to the model, from files it removes afterwards', async () => {
    const cwd = await h.workspace();
    // A 1×1 transparent PNG.
    const png =
      'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAQAAAC1HAwCAAAAC0lEQVR42mNkYAAAAAYAAjCB0C8AAAAASUVORK5CYII=';
    const images = [
      { mediaType: 'image/png', base64: png },
      { mediaType: 'image/png', base64: png },
    ];
    const outcome = await h.agent.start(
      h.request('[[scenario:images]] What do you see?', cwd, { images }),
      recordingHooks().hooks,
    ).done;
    expect(outcome.finalText).toBe('I was shown 2 image(s).');
    expect(readFileSync(path.join(cwd, 'images.txt'), 'utf8')).toBe('2 image(s)\n');
    expect(readdirSync(path.join(h.home, 'runs'))).toEqual([]);
  });

  it('flags a model it has no price for instead of counting it as free', async () => {
    const rec = recordingHooks();
    const outcome = await h.agent.start(
      h.request(codexScript.text('hello'), await h.workspace(), { model: 'gpt-6-sol' }),
      rec.hooks,
    ).done;
    expect(outcome.ok).toBe(true);
    expect(rec.costs.filter((c) => c.unknownModel)).toEqual([
      expect.objectContaining({ unknownModel: 'gpt-6-sol', runCostUsd: 0 }),
    ]);
    expect(outcome.byModel[0]).toMatchObject({ model: 'gpt-6-sol', costUsd: 0, inputTokens: 600 });
  });
});

/**
 * The fake agent's steps beyond the contract: streaming, tool decisions that change the input, hold and
 * interrupt, stops while waiting, gates and delays, crashes and lost processes, writes that try to leave
 * the working directory, and how scripts are picked.
 */
import { existsSync } from 'node:fs';
import { readFile, rm, symlink } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { isGroupAlive } from '../process-group.js';
import {
  bash,
  crash,
  createFakeAgent,
  createGate,
  delay,
  dynamic,
  hang,
  loseProcess,
  question,
  text,
  thinking,
  usage,
  waitFor,
  write,
} from './fake-agent.js';
import { record, tempCwd, types } from './fake-agent-harness.js';

let cwd: string;
beforeEach(async () => (cwd = await tempCwd()));
afterEach(() => rm(cwd, { recursive: true, force: true }));

describe('the fake agent: events', () => {
  it('streams text and thinking in slices before the complete block; a billed message closes the message', async () => {
    const agent = createFakeAgent({
      plan: () => [
        thinking('Think first.', { deltas: 2 }),
        text('abcdefg', { deltas: 3 }),
        usage({}),
        text('Next.'),
      ],
    });
    const r = record(agent, { cwd });
    expect(r.sessions, 'no hook before start returns').toEqual([]);
    await r.run.done;
    expect(types(r.events)).toEqual([
      'run.session',
      'agent.delta',
      'agent.delta',
      'agent.thinking',
      'agent.delta',
      'agent.delta',
      'agent.delta',
      'agent.text',
      'agent.text',
    ]);
    const slices = r.events.flatMap((e) =>
      e.type === 'agent.delta' && e.data.kind === 'text' ? [e.data] : [],
    );
    expect(slices.map((d) => d.text)).toEqual(['abc', 'def', 'g']);
    expect(new Set(slices.map((d) => `${d.messageId}/${d.index}`)).size).toBe(1);
    const [first, second] = r.events.filter((e) => e.type === 'agent.text').map((e) => e.data.messageId);
    expect(first).toBe(slices[0]!.messageId);
    expect(second).not.toBe(first);
  });

  it('runs an allowed tool with the input the decision gave; a denied one is an error result and counts', async () => {
    const agent = createFakeAgent({
      plan: () => [write('a.txt', 'theirs'), bash('rm -rf build', 'removed')],
    });
    const r = record(agent, { cwd }, (t) =>
      t.name === 'Write'
        ? { allow: true, updatedInput: { ...t.input, content: 'ours' } }
        : { allow: false, message: 'no rm -rf' },
    );
    const o = await r.run.done;
    expect(await readFile(join(cwd, 'a.txt'), 'utf8')).toBe('ours');
    const results = r.events.flatMap((e) => (e.type === 'tool.result' ? [e.data] : []));
    expect(results.map((d) => d.isError)).toEqual([false, true]);
    expect(results[1]!.output).toBe('no rm -rf');
    expect(o).toMatchObject({ ok: true, permissionDenials: 1 });
  });

  it('refuses writes outside its directory, through .. or a symlinked folder', async () => {
    const outside = await tempCwd();
    await symlink(outside, join(cwd, 'link'));
    const agent = createFakeAgent({
      plan: () => [write('../escape.txt', 'x'), write('link/sub/escape.txt', 'x')],
    });
    const r = record(agent, { cwd });
    await r.run.done;
    const results = r.events.flatMap((e) => (e.type === 'tool.result' ? [e.data.isError] : []));
    expect(results).toEqual([true, true]);
    expect(existsSync(join(cwd, '..', 'escape.txt'))).toBe(false);
    expect(existsSync(join(outside, 'sub'))).toBe(false);
    await rm(outside, { recursive: true, force: true });
  });

  it('a dynamic step sees the answers, the last tool result and the session turn', async () => {
    const seen: unknown[] = [];
    const agent = createFakeAgent({
      plan: () => [
        question('Color?', ['red', 'blue']),
        dynamic((ctx) => (seen.push([ctx.turn, ctx.answers, ctx.lastToolResult?.isError]), text('ok'))),
      ],
    });
    const answer = { allow: true as const, updatedInput: { answers: { 'Color?': 'blue' } } };
    const first = await record(agent, { cwd }, () => answer).run.done;
    await record(agent, { cwd, resumeSessionId: first.sessionId }, () => answer).run.done;
    expect(seen).toEqual([
      [0, { 'Color?': 'blue' }, false],
      [1, { 'Color?': 'blue' }, false],
    ]);
  });
});

describe('the fake agent: how a run ends', () => {
  it('a held decision ends the run on purpose: stoppedBy held, no error, nothing after it runs', async () => {
    const agent = createFakeAgent({ plan: () => [bash('plan'), usage({ input: 10 }), text('never said')] });
    const r = record(agent, { cwd }, () => ({ allow: false, hold: true, message: 'held for review' }));
    const o = await r.run.done;
    expect(o).toMatchObject({ ok: false, stoppedBy: 'held', error: null, reconciled: true });
    expect(types(r.events).at(-1)).toBe('tool.result');
  });

  it('an interrupting denial ends the run with an error', async () => {
    const agent = createFakeAgent({ plan: () => [bash('x'), text('never said')] });
    const r = record(agent, { cwd }, () => ({ allow: false, interrupt: true, message: 'stop here' }));
    const o = await r.run.done;
    expect(o).toMatchObject({ ok: false, stoppedBy: null, error: { retryable: false } });
    expect(o.error?.message).toContain('stop here');
    expect(o.finalText).toBeNull();
  });

  it('a stop while a decision is pending ends the run at once, without a result for the call', async () => {
    const agent = createFakeAgent({ plan: () => [bash('x')] });
    const r = record(agent, { cwd }, () => new Promise(() => {}));
    while (r.requests.length === 0) await new Promise((res) => setImmediate(res));
    r.run.stop('cancelled');
    expect(await r.run.done).toMatchObject({ stoppedBy: 'cancelled', ok: false });
    expect(types(r.events)).toEqual(['run.session', 'tool.called']);
  });

  it('waits at a gate until the test opens it; a delay is a real timer that a stop cuts short', async () => {
    const gate = createGate();
    const agent = createFakeAgent({
      plan: () => [text('before'), waitFor(gate.wait), text('after'), delay(60_000)],
    });
    const r = record(agent, { cwd });
    for (let i = 0; i < 5; i += 1) await new Promise((res) => setImmediate(res));
    expect(types(r.events)).toEqual(['run.session', 'agent.text']);
    gate.open();
    while (r.events.length < 3) await new Promise((res) => setImmediate(res));
    r.run.stop('stopped');
    expect(await r.run.done).toMatchObject({ stoppedBy: 'stopped', finalText: 'after' });
  });

  it('a crash kills the process: an error, nothing reconciled, no session total', async () => {
    const agent = createFakeAgent({ process: true, plan: () => [usage({ input: 1000 }), crash('boom')] });
    const r = record(agent, { cwd });
    const o = await r.run.done;
    expect(o).toMatchObject({ ok: false, error: { message: 'boom', retryable: false }, reconciled: false });
    expect(o.sessionTotalUsd).toBeNull();
    expect(o.costUsd).toBeCloseTo(0.003, 12);
    expect(isGroupAlive(r.pids[0]!)).toBe(false);
  });

  it('a lost process leaves the run hanging until stopped, as a dead agent nobody noticed', async () => {
    const agent = createFakeAgent({ process: true, plan: () => [loseProcess(), text('still here'), hang()] });
    const r = record(agent, { cwd });
    while (!r.events.some((e) => e.type === 'agent.text')) await new Promise((res) => setImmediate(res));
    expect(isGroupAlive(r.pids[0]!)).toBe(false);
    expect(agent.activeCount()).toBe(1);
    r.run.stop('died');
    expect(await r.run.done).toMatchObject({ stoppedBy: 'died' });
    expect(agent.activeCount()).toBe(0);
  });
});

describe('the fake agent: scripts', () => {
  it('plays queued scripts first, then the plan; started(n) waits for the n-th run', async () => {
    const agent = createFakeAgent({ plan: () => [text('planned')] });
    agent.enqueue({ steps: [text('queued')], sessionId: 'named-session' });
    const second = agent.started(2);
    const a = await record(agent, { cwd }).run.done;
    const b = await record(agent, { cwd }).run.done;
    expect([a.finalText, a.sessionId, b.finalText]).toEqual(['queued', 'named-session', 'planned']);
    expect((await second).outcome).toBe(b);
    expect(agent.runs.map((run) => run.req.prompt)).toEqual(['do the work', 'do the work']);
  });

  it('without a script a run fails loudly; sessions can be shared with another agent', async () => {
    const lonely = createFakeAgent();
    expect((await record(lonely, { cwd }).run.done).error?.message).toMatch(/no script/);
    const first = createFakeAgent({ plan: () => [text('one')] });
    const o = await record(first, { cwd }).run.done;
    const second = createFakeAgent({
      sessions: first.sessions,
      plan: (_req, s) => [text(`turn ${s.prompts.length}`)],
    });
    const resumed = await record(second, { cwd, resumeSessionId: o.sessionId }).run.done;
    expect(resumed).toMatchObject({ ok: true, sessionId: o.sessionId, finalText: 'turn 2' });
  });

  it('keeps its process until the end of a normal run, then it is gone', async () => {
    const gate = createGate();
    const agent = createFakeAgent({ process: true, plan: () => [waitFor(gate.wait), text('done')] });
    const r = record(agent, { cwd });
    while (r.pids.length === 0) await new Promise((res) => setImmediate(res));
    expect(isGroupAlive(r.pids[0]!)).toBe(true);
    gate.open();
    expect(await r.run.done).toMatchObject({ ok: true });
    expect(isGroupAlive(r.pids[0]!)).toBe(false);
  });
});

import { existsSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AGENT_NICENESS } from '../../server/src/runner/process-group.js';
import type { GluonEvent } from '../../shared/events.js';
import { git, settled, startGluon, waitForTask, type Gluon } from './harness.js';

describe('health, formulas and the planning profile with the real Claude Code', () => {
  let g: Gluon;
  beforeAll(async () => {
    g = await startGluon({
      // Red well past an agent's start in its sandbox (about 1 s on a loaded machine).
      health: { yellowAfterMs: 400, redAfterMs: 2500, repeatLimit: 3 },
      healthCheckMs: 100,
    });
  });
  afterAll(async () => g?.close());

  const eventsOf = async (id: string) => (await g.client.events(id, { limit: 10_000 })).events;

  it('a silent agent turns yellow, then red, which notifies once; it recovers when events flow again', async () => {
    const t = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:silent ms=5000]] think hard',
    });
    await waitForTask(g.client, t.id, (x) => x.health === 'red', 'the task to turn red');
    const done = await waitForTask(g.client, t.id, settled, 'the task to finish');
    expect(done.status).toBe('review');
    const events = await eventsOf(t.id);
    const health = events
      .filter((e): e is Extract<GluonEvent, { type: 'health.changed' }> => e.type === 'health.changed')
      .map((e) => e.data.health);
    // A slow agent start may already show a brief yellow (then green); what counts is that the long
    // silence goes yellow, then red.
    const firstRed = health.indexOf('red');
    expect(firstRed).toBeGreaterThan(0);
    expect(health[firstRed - 1]).toBe('yellow');
    const red = events.filter((e) => e.type === 'notification' && e.data.kind === 'health_red');
    expect(red).toHaveLength(1);
    expect(red[0]?.type === 'notification' && red[0].data.reason).toMatch(/no events/);
  });

  it('an agent repeating the same tool call turns red with the reason', async () => {
    const t = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:loop-forever delay=50]] tick',
    });
    const red = await waitForTask(g.client, t.id, (x) => x.health === 'red', 'the loop to be seen');
    expect(red.healthReason).toMatch(/looping: Bash/);
    await g.client.cancel(t.id);
  });

  it.runIf(existsSync('/proc/self/autogroup'))(
    "a long command in the agent's sandbox weighs no more than the agent by the next check",
    async () => {
      // The sandbox starts each command in a session of its own (nice 0 where sessions are scheduled apart).
      const t = await g.client.createTask({
        project: 'sample',
        prompt: '[[scenario:bash cmd="sleep 1.5; cat /proc/self/autogroup"]] a long command',
      });
      const done = await waitForTask(g.client, t.id, settled, 'the command to finish');
      expect(done.status).toBe('review');
      const text = (await eventsOf(t.id))
        .filter((e) => e.type === 'tool.result')
        .map((e) => JSON.stringify(e.data))
        .join('\n');
      expect(text).toMatch(/autogroup-\d+ nice (\d+)/);
      expect(Number(/autogroup-\d+ nice (\d+)/.exec(text)![1])).toBe(AGENT_NICENESS);
    },
  );

  it('runs a 3-step formula: one card, steps in order, each prompt carrying the results before it', async () => {
    const yaml = [
      'description: three steps',
      'variables:',
      '  topic:',
      '    required: true',
      'steps:',
      '  - id: one',
      '    name: First',
      '    prompt: "[[scenario:write-file path=one.txt content=first]] Start on {{topic}}"',
      '  - id: two',
      '    name: Second',
      '    prompt: "[[scenario:write-file path=two.txt content=second]] Go on"',
      '  - id: three',
      '    name: Third',
      '    prompt: "[[scenario:write-file path=three.txt content=third]] Finish"',
      '',
    ].join('\n');
    const { mkdirSync, writeFileSync } = await import('node:fs');
    const dir = `${g.repo}/.gluon/formulas`;
    mkdirSync(dir, { recursive: true });
    writeFileSync(`${dir}/three.yaml`, yaml);
    await expect(
      g.client.createTask({ project: 'sample', prompt: 'x', formula: 'three' }),
    ).rejects.toMatchObject({ status: 400, message: expect.stringMatching(/topic/) });
    const t = await g.client.createTask({
      project: 'sample',
      prompt: 'make it',
      formula: 'three',
      vars: { topic: 'ducks' },
    });
    expect(t.step).toEqual({ index: 1, total: 3, name: 'First' });
    const done = await waitForTask(g.client, t.id, settled, 'the formula');
    expect(done).toMatchObject({ status: 'review', stopReason: 'completed' });
    const runs = await g.server.services.tasks.runs(t.id);
    expect(runs.map((r) => r.label)).toEqual(['Step 1/3 First', 'Step 2/3 Second', 'Step 3/3 Third']);
    expect(runs[0]!.prompt).toContain('Start on ducks');
    expect(runs[1]!.prompt).toContain('Results of earlier steps');
    expect(runs[1]!.prompt).toContain('Wrote one.txt.');
    expect(runs[2]!.prompt).toContain('Wrote two.txt.');
    for (const f of ['one', 'two', 'three'])
      expect(await git(g.repo, 'show', `${done.branch}:${f}.txt`)).toBeTruthy();
  });

  it('a gated step waits in review for approval, then the next step runs', async () => {
    const t = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:write-file path=plan.md content=plan]] add a feature',
      formula: 'feature',
    });
    const gated = await waitForTask(g.client, t.id, (x) => x.status === 'review', 'the gate');
    expect(gated).toMatchObject({
      inputRequired: true,
      stopReason: 'input_required',
      step: { index: 1, total: 4 },
    });
    expect(gated.pendingInput).toMatchObject({ kind: 'approval', toolName: 'gate' });
    const approved = await g.client.approve(t.id);
    expect(['queued', 'running']).toContain(approved.status);
    await waitForTask(g.client, t.id, (x) => (x.step?.index ?? 0) >= 2, 'step 2');
    await g.client.cancel(t.id);
  });

  it('planning: the plan waits for approval; approval continues the same session in execution mode', async () => {
    const t = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:plan]] plan a refactor',
      profile: 'planning',
    });
    const held = await waitForTask(g.client, t.id, settled, 'the plan');
    expect(held).toMatchObject({ status: 'review', inputRequired: true, stopReason: 'input_required' });
    expect(held.pendingInput?.text).toMatch(/Step 1/);
    const approved = await g.client.approve(t.id);
    expect(['queued', 'running']).toContain(approved.status);
    const done = await waitForTask(g.client, t.id, (x) => settled(x) && !x.inputRequired, 'the execution');
    expect(done.status).toBe('review');
    expect(done.sessionId).toBe(held.sessionId);
    const runs = await g.server.services.tasks.runs(t.id);
    expect(runs.map((r) => r.kind)).toEqual(['plan', 'resume']);
    expect(await git(g.repo, 'show', `${done.branch}:done.txt`)).toMatch(/executed/);
  });
});

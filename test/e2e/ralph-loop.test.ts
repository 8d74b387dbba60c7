import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GluonEvent } from '../../shared/events.js';
import { git, settled, startGluon, waitForTask, type Gluon } from './harness.js';

type Iteration = Extract<GluonEvent, { type: 'loop.iteration' }>;

describe('the Ralph loop with the real Claude Code', () => {
  let g: Gluon;
  beforeAll(async () => {
    g = await startGluon({ loop: { pauseMs: 0, callsPerHour: 100 }, maxConcurrentTasks: 6 });
  });
  afterAll(async () => g?.close());

  const iterations = async (id: string) =>
    (await g.client.events(id, { limit: 10_000 })).events.filter(
      (e): e is Iteration => e.type === 'loop.iteration',
    );

  it('completes on the third iteration with a valid, corroborated status block — after exactly 3', async () => {
    const t = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:ralph done=3]] build the thing',
      ralph: true,
    });
    const done = await waitForTask(g.client, t.id, settled, 'the loop to finish');
    expect(done).toMatchObject({ status: 'review', stopReason: 'completed', iterations: 3 });
    const its = await iterations(t.id);
    expect(its.map((e) => e.data.iteration)).toEqual([1, 2, 3]);
    expect(its.map((e) => e.data.exitSignal)).toEqual([false, false, true]);
    expect(its.every((e) => e.data.breaker === 'closed')).toBe(true);
    const runs = await g.client.runs(t.id);
    expect(runs.map((r) => r.kind)).toEqual(['iteration', 'iteration', 'iteration']);
    expect(new Set(runs.map((r) => r.sessionId)).size).toBe(3); // a fresh session each time
    for (const i of [1, 2, 3])
      expect(await git(g.repo, 'show', `${done.branch}:progress-${i}.txt`)).toBe(`iteration ${i}`);
    expect(done.costUsd).toBeCloseTo(
      runs.reduce((s, r) => s + r.costUsd, 0),
      9,
    );
  });

  it('a done claim that its verify command refutes keeps the loop going, with the output in the next prompt', async () => {
    const verify = `node -e "console.log('VERIFY-SAYS-NO'); process.exit(1)"`;
    const t = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:ralph done=1]] claim done',
      ralph: true,
      verify,
      maxIterations: 3,
    });
    const done = await waitForTask(g.client, t.id, settled, 'the loop to stop');
    expect(done.stopReason).toBe('verify_failed');
    const its = await iterations(t.id);
    expect(its).toHaveLength(3);
    expect(its[0]!.data.verify).toMatchObject({ exitCode: 1 });
    expect(its[0]!.data.verify?.output).toContain('VERIFY-SAYS-NO');
    const runs = await g.server.services.tasks.runs(t.id);
    expect(runs[1]!.prompt).toContain('VERIFY-SAYS-NO');
    expect(runs[0]!.prompt).not.toContain('VERIFY-SAYS-NO');
  });

  it('an agent that changes nothing opens the breaker after 5 iterations (2 + 3)', async () => {
    const t = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:ralph write=false]] idle',
      ralph: true,
    });
    const done = await waitForTask(g.client, t.id, settled, 'the breaker');
    expect(done).toMatchObject({ status: 'review', stopReason: 'circuit_open', iterations: 5 });
    const its = await iterations(t.id);
    expect(its.map((e) => e.data.breaker)).toEqual(['closed', 'half_open', 'half_open', 'half_open', 'open']);
  });

  it('an agent that fails with the same error every time opens the breaker after 5', async () => {
    const t = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:fail status=400]] broken',
      ralph: true,
    });
    const done = await waitForTask(g.client, t.id, settled, 'the breaker');
    expect(done.stopReason).toBe('circuit_open');
    const its = await iterations(t.id);
    expect(its).toHaveLength(5);
    expect(its.every((e) => e.data.errors.length === 1)).toBe(true);
  });

  it('an agent that commits every iteration is never counted as making no progress', async () => {
    const t = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:ralph commit=true write=false]] commit',
      ralph: true,
      maxIterations: 6,
    });
    const done = await waitForTask(g.client, t.id, settled, 'the loop');
    expect(done.stopReason).toBe('max_iterations');
    const its = await iterations(t.id);
    expect(its).toHaveLength(6);
    expect(its.every((e) => e.data.breaker === 'closed' && e.data.commits.length === 1)).toBe(true);
    expect(readFileSync(path.join(done.worktreePath!, 'log.txt'), 'utf8').trim().split('\n')).toEqual([
      '1',
      '2',
      '3',
      '4',
      '5',
      '6',
    ]);
  });

  it('a never-ending loop stops at its cost cap, and at its iteration limit, each with its reason', async () => {
    const capped = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:ralph input_tokens=20000]] forever',
      ralph: true,
      maxCostUsd: 0.2,
    });
    const limited = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:ralph]] forever',
      ralph: true,
      maxIterations: 2,
    });
    const a = await waitForTask(g.client, capped.id, settled, 'the cap');
    const b = await waitForTask(g.client, limited.id, settled, 'the limit');
    expect(a.stopReason).toBe('cost_cap');
    expect(a.costUsd).toBeGreaterThanOrEqual(0.2);
    expect(a.costUsd).toBeLessThan(0.2 + 0.07 * 2);
    expect(b).toMatchObject({ stopReason: 'max_iterations', iterations: 2 });
  });

  it('stop-loop stops at once, mid-iteration, and keeps the work', async () => {
    const t = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:slow ms=30000]] take long',
      ralph: true,
    });
    await waitForTask(
      g.client,
      t.id,
      (x) => x.status === 'running' && x.sessionId !== null,
      'the first iteration',
    );
    const stopped = await g.client.stopLoop(t.id);
    expect(stopped).toMatchObject({ status: 'review', stopReason: 'stopped' });
    await expect(g.client.stopLoop(t.id)).rejects.toMatchObject({ status: 409 });
  });
});

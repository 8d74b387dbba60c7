/**
 * Budgets, policies and metrics in a fleet on Postgres: real `gluon serve` and `gluon worker` processes,
 * the real Claude Code. The budget stops the agent on the worker and refuses new work at the server; the
 * worker refuses a protected write at the tool call; the server's metrics count the fleet's tasks.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/client.js';
import { settled, waitForTask } from './harness.js';
import { fileOnRemote, startFleet, type Fleet } from './fleet-harness.js';

describe('governance in a fleet on Postgres', () => {
  let f: Fleet;
  beforeAll(async () => {
    f = await startFleet('govern');
    await f.startServer();
    await f.startWorker('w1', { capacity: 2 });
  }, 120_000);
  afterAll(async () => f?.close(), 120_000);

  it('refuses a protected write on the worker, stops at the budget there and refuses new work', async () => {
    const client = f.servers[0]!.client;
    await client.setPolicy({ scope: 'project', name: 'sample', policy: { protectedPaths: ['infra/**'] } });
    const guarded = await client.createTask({
      project: 'sample',
      prompt: '[[scenario:write-file path=infra/main.tf content=evil]] write infra',
    });
    const g = await waitForTask(client, guarded.id, settled, 'the guarded task', 120_000);
    expect(g.worker).toBe('w1');
    const { events } = await client.events(g.id);
    const refused = events.find((e) => e.type === 'tool.result' && e.data.isError);
    expect(refused && JSON.stringify(refused.data)).toContain('infra/main.tf is a protected path');
    expect(await fileOnRemote(f.remote, g.branch!, 'infra/main.tf')).toBeNull();

    await client.setBudget({ scope: 'workspace', name: 'default', period: 'month', limitUsd: 0.3 });
    const looping = await client.createTask({
      project: 'sample',
      prompt: '[[scenario:loop-forever delay=50]] loop',
    });
    const stopped = await waitForTask(client, looping.id, settled, 'the budget to stop the task', 120_000);
    expect(stopped.stopReason).toBe('cost_cap');
    expect(stopped.costUsd).toBeLessThan(0.3 + 0.09 * 2);
    const after = (await client.events(stopped.id)).events;
    expect(after.some((e) => e.type === 'notification' && e.data.kind === 'budget_warning')).toBe(true);
    const refusedTask = await client.createTask({ project: 'sample', prompt: 'x' }).catch((e: unknown) => e);
    expect((refusedTask as ApiError).code).toBe('budget_exceeded');

    const server = f.servers[0]!;
    const token = readFileSync(path.join(server.home, 'token'), 'utf8').trim();
    const res = await fetch(`http://127.0.0.1:${server.port}/metrics`, {
      headers: { authorization: `Bearer ${token}` },
    });
    const text = await res.text();
    expect(res.status).toBe(200);
    expect(text).toContain('gluon_tasks{status="review"} 2');
    expect(text).toMatch(/gluon_budget_refusals_total\{scope="workspace"\} [1-9]/);
  }, 240_000);
});

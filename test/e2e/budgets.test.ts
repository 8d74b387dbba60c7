/**
 * Budgets through the real server and the real Claude Code: a workspace's daily budget warns at 80 %,
 * stops a running agent at 100 % like a cost cap (work kept, reason given), then refuses new tasks and
 * resumes with the reason; a user's budget binds only runs started for that user; cost by user.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ApiError } from '../../shared/client.js';
import { git, settled, startGluon, waitForTask, type Gluon } from './harness.js';

const metric = async (g: Gluon, name: string) => {
  const text = await (
    await fetch(`${g.server.url}/metrics`, { headers: { authorization: `Bearer ${g.server.token}` } })
  ).text();
  return Number(
    text
      .split('\n')
      .find((l) => l.startsWith(name))
      ?.split(' ')
      .at(-1) ?? 0,
  );
};

describe('budgets', () => {
  let g: Gluon;
  beforeAll(async () => {
    g = await startGluon();
  });
  afterAll(async () => g?.close());

  it('warns at 80 %, stops the running agent at 100 % and keeps its work', async () => {
    // Each response costs $0.09: the warning comes at $0.27 (≥ $0.24), the stop at $0.36 (≥ $0.30).
    const set = await g.client.setBudget({
      scope: 'workspace',
      name: 'default',
      period: 'day',
      limitUsd: 0.3,
    });
    expect(set).toMatchObject({ scope: 'workspace', name: 'default', limitUsd: 0.3, spentUsd: 0 });
    const created = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:loop-forever delay=50]] loop',
    });
    const task = await waitForTask(g.client, created.id, settled, 'the budget to stop the task');
    expect(task.status).toBe('review');
    expect(task.stopReason).toBe('cost_cap');
    expect(task.costUsd).toBeGreaterThanOrEqual(0.3);
    expect(task.costUsd).toBeLessThan(0.3 + 0.09 * 2);
    const ticks = await git(g.repo, 'show', `${task.branch}:ticks.txt`);
    expect(ticks).toContain('tick');
    const { events } = await g.client.events(task.id);
    const status = events.filter((e) => e.type === 'status.changed').at(-1);
    expect(status?.type === 'status.changed' && status.data.reason).toBe(
      "stopped at the workspace default's daily budget of $0.3",
    );
    const warnings = events.filter((e) => e.type === 'notification' && e.data.kind === 'budget_warning');
    expect(warnings).toHaveLength(1);
    expect(warnings[0]!.type === 'notification' && warnings[0]!.data.reason).toMatch(
      /^used \d+ % of the workspace default's daily budget of \$0\.3/,
    );
    const [listed] = await g.client.budgets();
    expect(listed!.spentUsd).toBeCloseTo(task.costUsd, 6);
    expect(listed!.used).toBeGreaterThanOrEqual(1);
    expect(await metric(g, 'gluon_budget_warnings_total{scope="workspace"}')).toBe(1);
    expect(await metric(g, 'gluon_budget_refusals_total{scope="workspace"}')).toBeGreaterThanOrEqual(1);
  });

  it('refuses new tasks and resumes once the budget is spent, saying why', async () => {
    const before = await metric(g, 'gluon_budget_refusals_total{scope="workspace"}');
    const refused = await g.client
      .createTask({ project: 'sample', prompt: '[[scenario:write-file]] x' })
      .catch((e: unknown) => e);
    expect(refused).toBeInstanceOf(ApiError);
    expect((refused as ApiError).status).toBe(409);
    expect((refused as ApiError).code).toBe('budget_exceeded');
    expect((refused as ApiError).message).toMatch(/the workspace default's daily budget of \$0\.3 is spent/);
    const [capped] = await g.client.listTasks({ status: 'review' });
    const resumed = await g.client.resume(capped!.id, 'go on').catch((e: unknown) => e);
    expect((resumed as ApiError).code).toBe('budget_exceeded');
    expect((await g.client.getTask(capped!.id)).status).toBe('review');
    expect(await metric(g, 'gluon_budget_refusals_total{scope="workspace"}')).toBe(before + 2);
  });

  it("binds a user's budget to the runs started for that user, and reports cost by user", async () => {
    const [workspace] = await g.client.budgets();
    await g.client.removeBudget(workspace!.id);
    const tasks = g.server.services.tasks;
    const alice = { user: 'alice', userId: 'user-alice', surface: 'api' as const };
    const first = await tasks.create(
      { project: 'sample', prompt: '[[scenario:write-file path=a.txt]] a' },
      alice,
    );
    await waitForTask(g.client, first.id, settled, 'alice’s task');
    const byUser = await g.client.costs('user');
    const row = byUser.rows?.find((r) => r.key === 'user-alice');
    expect(row?.costUsd).toBeGreaterThan(0);
    expect(row?.runs).toBe(1);
    await g.client.setBudget({ scope: 'user', name: 'user-alice', period: 'month', limitUsd: row!.costUsd });
    await expect(tasks.create({ project: 'sample', prompt: 'b' }, alice)).rejects.toMatchObject({
      code: 'budget_exceeded',
      message: expect.stringMatching(/^user user-alice's monthly budget/),
    });
    // Someone else (or the single-user token) is not bound by Alice's budget.
    const other = await g.client.createTask({
      project: 'sample',
      prompt: '[[scenario:write-file path=b.txt]] b',
    });
    expect(other.status).toBe('queued');
    await waitForTask(g.client, other.id, settled, 'the other task');
    // A resume of Alice's task is hers to pay: refused.
    await expect(tasks.resume(first.id, 'more')).rejects.toMatchObject({ code: 'budget_exceeded' });
  });

  it('answers bad budgets with 4xx', async () => {
    const bad = await g.client
      .setBudget({ scope: 'project', name: 'nope', period: 'day', limitUsd: 1 })
      .catch((e: unknown) => e);
    expect((bad as ApiError).status).toBe(404);
    const res = await fetch(`${g.server.url}/api/budgets`, {
      method: 'PUT',
      headers: { authorization: `Bearer ${g.server.token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ scope: 'project', name: 'sample', period: 'week', limitUsd: -1 }),
    });
    expect(res.status).toBe(400);
    expect(((await res.json()) as { error: { code: string } }).error.code).toBe('invalid_input');
  });
});

/**
 * The governance tables (migration 0009) on SQLite and Postgres: budgets (one per scope and period),
 * alerts recorded once per period, spend by project, workspace and user, cost by user, and policies.
 */
import { describe, expect, it } from 'vitest';
import type { ModelCost } from '../../domain/pricing.js';
import { createBudgetsRepo } from '../budgets-repo.js';
import { createPoliciesRepo } from '../policies-repo.js';
import { createRunUsersRepo } from '../run-users-repo.js';
import { buildProject, buildTask, DIALECTS, uid, useStorage } from '../testing/suite.js';

const cost = (costUsd: number): ModelCost => ({
  model: 'sonnet',
  costUsd,
  inputTokens: 10,
  outputTokens: 5,
  cacheWriteTokens: 0,
  cacheReadTokens: 0,
});

describe.each(DIALECTS)('governance tables on %s', (dialect) => {
  const db = useStorage(dialect, 'governance');

  async function run(taskId: string, day: string, usd: number, userId?: string) {
    const id = uid('r');
    await db.storage.runs.insert({
      id,
      taskId,
      kind: 'initial',
      model: 'sonnet',
      prompt: 'p',
      sessionId: null,
      status: 'ended',
      stopReason: 'completed',
      costUsd: usd,
      sdkTotalUsd: null,
      error: null,
      pid: null,
      label: null,
      startedAt: `${day}T10:00:00.000Z`,
      endedAt: null,
    });
    await db.storage.runs.setModelCosts({ id, taskId, day }, [cost(usd)], true);
    if (userId) await createRunUsersRepo(db.storage.db).setRunUser(id, userId);
  }

  it('sums spend per project, workspace and user since a day; reports cost by user', async () => {
    const ws = `ws-${uid()}`;
    const a = await buildProject(db.storage, { workspaceName: ws });
    const b = await buildProject(db.storage, { workspaceName: ws });
    const ta = await buildTask(db.storage, a);
    const tb = await buildTask(db.storage, b);
    const alice = uid('alice');
    await run(ta.id, '2026-05-01', 0.5, alice);
    await run(ta.id, '2026-05-02', 0.25);
    await run(tb.id, '2026-05-02', 1, alice);
    const repo = createBudgetsRepo(db.storage.db);
    expect(await repo.spent('project', a.id, '2026-05-01')).toBe(0.75);
    expect(await repo.spent('project', a.id, '2026-05-02')).toBe(0.25);
    expect(await repo.spent('workspace', a.workspaceId, '2026-05-01')).toBe(1.75);
    expect(await repo.spent('user', alice, '2026-05-01')).toBe(1.5);
    expect(await repo.spent('user', alice, '2026-05-02')).toBe(1);
    expect(await repo.spent('user', 'nobody', '2026-05-01')).toBe(0);
    const byUser = (await createRunUsersRepo(db.storage.db).costByUser()).filter((r) => r.key === alice);
    expect(byUser).toEqual([{ key: alice, label: alice, costUsd: 1.5, runs: 2 }]);
  });

  it('keeps one budget per scope and period, and each alert once per period', async () => {
    const repo = createBudgetsRepo(db.storage.db);
    const scopeId = uid('w');
    const base = {
      scope: 'workspace' as const,
      scopeId,
      period: 'day' as const,
      createdAt: 'x',
      updatedAt: 'x',
    };
    const first = await repo.upsert({ ...base, id: uid('b'), limitUsd: 5 });
    const again = await repo.upsert({ ...base, id: uid('b'), limitUsd: 7 });
    expect(again.id).toBe(first.id);
    expect(again.limitUsd).toBe(7);
    await repo.upsert({ ...base, period: 'month', id: uid('b'), limitUsd: 100 });
    expect(await repo.forScopes([{ scope: 'workspace', scopeId }])).toHaveLength(2);
    expect(await repo.markAlert(first.id, '2026-05-01', 80, 'now')).toBe(true);
    expect(await repo.markAlert(first.id, '2026-05-01', 80, 'now')).toBe(false);
    expect(await repo.markAlert(first.id, '2026-05-02', 80, 'now')).toBe(true);
    expect(await repo.remove(first.id)).toBe(true);
    expect(await repo.remove(first.id)).toBe(false);
  });

  it('stores policies per scope, replaced whole', async () => {
    const repo = createPoliciesRepo(db.storage.db);
    const id = uid('p');
    await repo.upsert('project', id, { protectedPaths: ['infra/**'] }, 't1');
    await repo.upsert('project', id, { ralphAllowed: false }, 't2');
    expect(await repo.get('project', id)).toEqual({ policy: { ralphAllowed: false }, updatedAt: 't2' });
    expect(await repo.remove('project', id)).toBe(true);
    expect(await repo.get('project', id)).toBeNull();
  });
});

/**
 * Roles held in one workspace stay in that workspace, over a real socket to the real application: lists
 * (projects, workspaces, costs, schedules, budgets, policies) show only the caller's workspaces; an admin of
 * one workspace changes budgets, policies and roles there only, and cannot act for people, read the audit
 * log or make itself an admin of every workspace.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildRun, insertTask } from '../storage/testing/factories.js';
import { makeRepo, startLiveApp, type LiveApp } from './testing/live-app.js';

describe('roles of one workspace', () => {
  let live: LiveApp;
  let dir: string;
  const tokens: Record<string, string> = {};
  let scheduleId: string;

  const call = async (who: string, method: string, url: string, body?: unknown) => {
    const headers: Record<string, string> = { authorization: `Bearer ${tokens[who]}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const res = await live.send(method, url, headers, body === undefined ? undefined : JSON.stringify(body));
    return { status: res.status, json: res.json as never };
  };
  const names = (list: { name: string }[]) => list.map((x) => x.name).sort();

  async function spend(projectId: string, costUsd: number): Promise<void> {
    const task = await insertTask(live.storage, { projectId, status: 'review' });
    const run = buildRun({ taskId: task.id, status: 'ended' });
    await live.storage.runs.insert(run);
    const row = { model: 'claude-sonnet-4-5', costUsd, inputTokens: 0, outputTokens: 0 };
    const day = new Date().toISOString().slice(0, 10);
    await live.storage.runs.setModelCosts(
      { id: run.id, taskId: task.id, day },
      [{ ...row, cacheWriteTokens: 0, cacheReadTokens: 0 }],
      true,
    );
  }

  beforeAll(async () => {
    live = await startLiveApp();
    dir = mkdtempSync(path.join(os.tmpdir(), 'gluon-scopes-'));
    const other = await live.services.projects.add({
      path: makeRepo(dir, 'other'),
      name: 'other',
      workspace: 'lab',
    });
    const sample = (await live.services.projects.find('sample'))!;
    await spend(sample.id, 2);
    await spend(other.id, 0.5);
    const people = live.services.team.people;
    tokens.root = (await people.add({ name: 'root', role: 'admin' })).token;
    tokens.ada = (await people.add({ name: 'ada', role: 'admin', workspace: 'lab' })).token;
    tokens.vic = (await people.add({ name: 'vic', role: 'viewer', workspace: 'default' })).token;
    const created = await call('root', 'POST', '/api/schedules', {
      project: 'sample',
      cron: '0 3 * * *',
      prompt: 'nightly dependency bump',
    });
    expect(created.status).toBe(201);
    scheduleId = (created.json as { id: string }).id;
  });
  afterAll(async () => {
    await live?.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('lists only the projects, workspaces, costs and schedules of the caller’s workspaces', async () => {
    expect(names((await call('ada', 'GET', '/api/projects')).json)).toEqual(['other']);
    expect(names((await call('ada', 'GET', '/api/workspaces')).json)).toEqual(['lab']);
    expect(names((await call('root', 'GET', '/api/projects')).json)).toEqual(['other', 'sample']);
    expect(names((await call('vic', 'GET', '/api/projects')).json)).toEqual(['sample']);

    const costs = (who: string) => call(who, 'GET', '/api/costs?by=project');
    expect((await costs('ada')).json).toMatchObject({ total: 0.5, rows: [{ label: 'other', costUsd: 0.5 }] });
    expect((await costs('vic')).json).toMatchObject({ total: 2, rows: [{ label: 'sample', costUsd: 2 }] });
    expect((await costs('root')).json).toMatchObject({ total: 2.5 });

    expect((await call('ada', 'GET', '/api/schedules')).json).toEqual([]);
    expect((await call('vic', 'GET', '/api/schedules')).json).toMatchObject([{ id: scheduleId }]);
    expect((await call('ada', 'GET', `/api/schedules/${scheduleId}`)).status).toBe(403);
    expect((await call('ada', 'POST', `/api/schedules/${scheduleId}/pause`, {})).status).toBe(403);
    expect(
      (await call('ada', 'POST', '/api/schedules', { project: 'sample', cron: '0 4 * * *', prompt: 'x' }))
        .status,
    ).toBe(403);
  });

  it('lets an admin of one workspace set budgets and policies there, and nowhere else', async () => {
    const policy = (name: string) => ({ scope: 'workspace', name, policy: { ralphAllowed: false } });
    expect((await call('ada', 'PUT', '/api/policies', policy('default'))).status).toBe(403);
    expect((await call('ada', 'PUT', '/api/policies', policy('lab'))).status).toBe(200);
    expect((await call('root', 'PUT', '/api/policies', policy('default'))).status).toBe(200);
    expect((await call('ada', 'DELETE', '/api/policies/workspace/default')).status).toBe(403);
    expect(names((await call('ada', 'GET', '/api/policies')).json)).toEqual(['lab']);

    const budget = (scope: string, name: string) => ({ scope, name, period: 'day', limitUsd: 10 });
    expect((await call('ada', 'PUT', '/api/budgets', budget('project', 'sample'))).status).toBe(403);
    expect((await call('ada', 'PUT', '/api/budgets', budget('user', 'ada'))).status).toBe(403);
    expect((await call('ada', 'PUT', '/api/budgets', budget('project', 'other'))).status).toBe(200);
    const root = await call('root', 'PUT', '/api/budgets', budget('project', 'sample'));
    expect(root.status).toBe(200);
    expect((await call('ada', 'DELETE', `/api/budgets/${(root.json as { id: string }).id}`)).status).toBe(
      403,
    );
    expect(names((await call('ada', 'GET', '/api/budgets')).json)).toEqual(['other']);
  });

  it('keeps people, the audit log and installation-wide actions for admins of every workspace', async () => {
    const refused = [
      await call('ada', 'PUT', '/api/users/ada/role', { role: 'admin' }),
      await call('ada', 'PUT', '/api/users/vic/role', { role: 'operator', workspace: 'default' }),
      await call('ada', 'POST', '/api/users', { name: 'mallory', role: 'admin' }),
      await call('ada', 'PUT', '/api/users/root/password', { password: 'correct horse battery' }),
      await call('ada', 'POST', '/api/users/root/links', { surface: 'telegram', account: '4242' }),
      await call('ada', 'GET', '/api/tokens?user=root'),
      await call('ada', 'GET', '/api/audit'),
      await call('ada', 'GET', '/api/audit/verify'),
      await call('ada', 'POST', '/api/worktrees/prune', {}),
    ];
    expect(refused.map((r) => r.status)).toEqual(refused.map(() => 403));

    expect(
      (await call('ada', 'POST', '/api/users', { name: 'lee', role: 'operator', workspace: 'lab' })).status,
    ).toBe(201);
    expect(
      (await call('ada', 'PUT', '/api/users/vic/role', { role: 'viewer', workspace: 'lab' })).status,
    ).toBe(200);
    expect((await call('root', 'GET', '/api/audit')).status).toBe(200);
    const denied = await live.services.team.audit.list({ user: 'ada' });
    expect(denied.filter((r) => r.outcome === 'denied').length).toBeGreaterThanOrEqual(refused.length);
  });
});

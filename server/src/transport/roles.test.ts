/**
 * Deny by default, generated from Fastify's route table of the real application: every route declares a
 * role, the table of expected roles below names every route (a new route fails here until its role is
 * written down), and every route is called with every role over a real socket — a weaker role gets 403
 * `forbidden_role` (and an audit entry), an equal or stronger one gets past the gate.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ROLES, type Role } from '../domain/actor.js';
import { routeTable, type Access, type RouteEntry } from './access.js';
import { startLiveApp, type LiveApp } from './testing/live-app.js';

/** The role each route needs (HEAD twins follow their GET). */
const EXPECTED: Record<string, Access> = {
  'GET /api/health': 'viewer',
  'GET /api/agents': 'viewer',
  'GET /api/workspaces': 'viewer',
  'GET /api/projects': 'viewer',
  'POST /api/projects': 'admin',
  'PATCH /api/projects/:name': 'admin',
  'GET /api/tasks': 'viewer',
  'POST /api/tasks': 'operator',
  'GET /api/tasks/:id': 'viewer',
  'GET /api/tasks/:id/events': 'viewer',
  'GET /api/tasks/:id/runs': 'viewer',
  'POST /api/tasks/:id/move': 'operator',
  'POST /api/tasks/:id/cancel': 'operator',
  'POST /api/tasks/:id/resume': 'operator',
  'POST /api/tasks/:id/answer': 'operator',
  'POST /api/tasks/:id/approve': 'operator',
  'POST /api/tasks/:id/deny': 'operator',
  'POST /api/tasks/:id/stop-loop': 'operator',
  'GET /api/costs': 'viewer',
  'GET /api/workers': 'viewer',
  'GET /api/tasks/:id/commits': 'viewer',
  'GET /api/tasks/:id/changes': 'viewer',
  'GET /api/tasks/:id/diff': 'viewer',
  'POST /api/tasks/:id/pr': 'operator',
  'POST /api/tasks/:id/resolve': 'operator',
  'POST /api/worktrees/prune': 'admin',
  'GET /api/formulas': 'viewer',
  'GET /api/formulas/:name': 'viewer',
  'POST /integrations/discord/interactions': 'discord-signature',
  'GET /api/ws': 'viewer',
  'GET /api/projects/:id/files': 'viewer',
  'GET /api/projects/:id/commands': 'viewer',
  'POST /api/attachments': 'operator',
  'GET /api/attachments/:id': 'viewer',
  'POST /api/mcp': 'operator',
  'GET /api/mcp': 'operator',
  'DELETE /api/mcp': 'operator',
  'GET /api/me': 'viewer',
  'GET /api/users': 'admin',
  'POST /api/users': 'admin',
  'PUT /api/users/:name/role': 'admin',
  'PUT /api/users/:name/password': 'viewer',
  'POST /api/users/:name/links': 'admin',
  'GET /api/tokens': 'viewer',
  'POST /api/tokens': 'viewer',
  'DELETE /api/tokens/:id': 'viewer',
  'GET /api/auth/config': 'public',
  'POST /api/auth/login': 'public',
  'GET /api/auth/oidc/start': 'public',
  'GET /api/auth/oidc/callback': 'public',
  'POST /api/auth/logout': 'viewer',
  'GET /api/audit': 'admin',
  'GET /api/audit/verify': 'admin',
  'POST /api/tasks/:id/dependencies': 'operator',
  'GET /api/tasks/:id/comments': 'viewer',
  'POST /api/tasks/:id/comments': 'operator',
  'POST /api/tasks/:id/comments/:commentId/resolve': 'operator',
  'DELETE /api/tasks/:id/comments/:commentId': 'operator',
  'POST /api/tasks/:id/reviews': 'operator',
  'POST /api/merge': 'operator',
  'GET /api/merge-queues/:id': 'viewer',
  'POST /api/tasks/:id/fork': 'operator',
  'GET /api/budgets': 'viewer',
  'PUT /api/budgets': 'admin',
  'DELETE /api/budgets/:id': 'admin',
  'GET /api/policies': 'viewer',
  'PUT /api/policies': 'admin',
  'DELETE /api/policies/:scope/:name': 'admin',
  'GET /metrics': 'viewer',
  'GET /api/schedules': 'viewer',
  'POST /api/schedules': 'operator',
  'GET /api/schedules/:id': 'viewer',
  'POST /api/schedules/:id/pause': 'operator',
  'POST /api/schedules/:id/resume': 'operator',
  'DELETE /api/schedules/:id': 'operator',
  'POST /api/schedules/:id/run': 'operator',
  'GET /api/tasks/:id/origin': 'viewer',
  'POST /integrations/github/webhook': 'github-signature',
  'GET /api/push/key': 'viewer',
  'POST /api/push/subscriptions': 'viewer',
  'POST /api/push/subscriptions/remove': 'viewer',
  'POST /api/push/action': 'push-action',
  'GET /*': 'public',
};

const targetOf = (url: string) => url.replace(/:[A-Za-z]+/g, 'abcdefabcdef').replace(/\*$/, 'anything');
const keyOf = (r: RouteEntry) => `${r.method === 'HEAD' ? 'GET' : r.method} ${r.url}`;

describe('roles on every route', () => {
  let live: LiveApp;
  let table: readonly RouteEntry[];
  const tokens = {} as Record<Role, string>;
  beforeAll(async () => {
    live = await startLiveApp();
    table = routeTable(live.app);
    for (const role of ROLES)
      tokens[role] = (await live.services.team.people.add({ name: `u-${role}`, role })).token;
  });
  afterAll(async () => live?.close());

  it('names every route in the table of expected roles, with the role it declares', () => {
    const declared = Object.fromEntries(table.map((r) => [keyOf(r), r.access]));
    expect(declared).toEqual(EXPECTED);
  });

  it('refuses each weaker role with 403 and lets each equal or stronger role past the gate', async () => {
    const wrong: string[] = [];
    let calls = 0;
    for (const route of table.filter((r) => ROLES.includes(r.access as Role) && r.method !== 'HEAD')) {
      const min = route.access as Role;
      for (const role of ROLES) {
        const body = route.method === 'GET' || route.method === 'DELETE' ? undefined : '{}';
        const headers: Record<string, string> = { authorization: `Bearer ${tokens[role]}` };
        if (body) headers['content-type'] = 'application/json';
        const res = await live.send(route.method, targetOf(route.url), headers, body);
        calls += 1;
        const code = (res.json as { error?: { code?: string } } | undefined)?.error?.code;
        const refused = res.status === 401 || code === 'forbidden_role';
        const shouldRefuse = ROLES.indexOf(role) < ROLES.indexOf(min);
        if (refused !== shouldRefuse || (shouldRefuse && res.status !== 403))
          wrong.push(`${route.method} ${route.url} as ${role} → ${res.status} ${code ?? ''}`);
      }
    }
    expect(wrong).toEqual([]);
    expect(calls).toBeGreaterThan(120);
    const denied = await live.services.team.audit.list({ user: 'u-viewer' });
    expect(denied.filter((r) => r.outcome === 'denied').length).toBeGreaterThan(10);
    expect(await live.services.team.audit.verify()).toMatchObject({ ok: true });
  });

  it('keeps the installation token an admin once users exist (the upgrade path)', async () => {
    const res = await live.send('GET', '/api/users', { authorization: `Bearer ${live.token}` });
    expect(res.status).toBe(200);
    expect((res.json as { name: string }[]).map((u) => u.name)).toEqual([
      'u-admin',
      'u-operator',
      'u-viewer',
    ]);
  });
});

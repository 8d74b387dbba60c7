/**
 * Walks Fastify's route table of the real application: every route declares its access rule, and every
 * route that is not public (the dashboard's static files, signing in) answers 401 without the token and with a wrong one —
 * over a real socket, for plain requests and WebSocket upgrades alike. A route added later is covered
 * without touching this test.
 */
import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { routeTable, type RouteEntry } from './access.js';
import { DISCORD_INTERACTIONS_PATH } from './routes/discord.js';
import { GITHUB_WEBHOOK_PATH } from './routes/github-webhook.js';
import { installSecurity } from './security.js';
import { startLiveApp, type LiveApp } from './testing/live-app.js';

/** A concrete target for a route pattern: parameters get a well-formed id, a wildcard a segment. */
function targetOf(url: string): string {
  return url.replace(/:[A-Za-z]+/g, 'abcdefabcdef').replace(/\*$/, 'anything');
}

describe('the route table', () => {
  let live: LiveApp;
  let table: readonly RouteEntry[];
  beforeAll(async () => {
    live = await startLiveApp();
    table = routeTable(live.app);
  });
  afterAll(async () => live?.close());

  it('gives every route an explicit rule; public is only the dashboard, signatures only the integrations', () => {
    expect(table.length).toBeGreaterThan(30);
    for (const route of table)
      expect([
        'viewer',
        'operator',
        'admin',
        'public',
        'discord-signature',
        'github-signature',
        'push-action',
      ]).toContain(route.access);
    const by = (access: string) =>
      table.filter((r) => r.access === access).map((r) => `${r.method} ${r.url}`);
    expect(by('public').sort()).toEqual([
      'GET /*',
      'GET /api/auth/config',
      'GET /api/auth/oidc/callback',
      'GET /api/auth/oidc/start',
      'HEAD /*',
      'HEAD /api/auth/config',
      'HEAD /api/auth/oidc/callback',
      'HEAD /api/auth/oidc/start',
      'POST /api/auth/login',
    ]);
    expect(by('discord-signature')).toEqual([`POST ${DISCORD_INTERACTIONS_PATH}`]);
    expect(by('github-signature')).toEqual([`POST ${GITHUB_WEBHOOK_PATH}`]);
    expect(by('push-action')).toEqual(['POST /api/push/action']);
    expect(table.filter((r) => r.websocket && r.method === 'GET').map((r) => r.url)).toEqual(['/api/ws']);
  });

  it('answers 401 on every non-public route without the token or with a wrong one (100 %)', async () => {
    const wrong: Record<string, string>[] = [
      {},
      { authorization: 'Bearer nope' },
      { authorization: `Bearer ${live.token}x` },
      { authorization: `Basic ${Buffer.from(`gluon:${live.token}`).toString('base64')}` },
    ];
    const answers: string[] = [];
    let checked = 0;
    for (const route of table.filter((r) => r.access !== 'public')) {
      for (const headers of [...wrong, { cookie: 'gluon_session=' + 'a'.repeat(64) }]) {
        const body = route.method === 'GET' || route.method === 'HEAD' ? undefined : '{}';
        const res = await live.send(
          route.method,
          targetOf(route.url),
          {
            ...headers,
            ...(body ? { 'content-type': 'application/json' } : {}),
          },
          body,
        );
        checked += 1;
        if (res.status !== 401) answers.push(`${route.method} ${route.url} → ${res.status}`);
      }
    }
    expect(answers).toEqual([]);
    expect(checked).toBeGreaterThan(100);
  });

  it('refuses a WebSocket upgrade on every GET route without the token', async () => {
    const refused: string[] = [];
    for (const route of table.filter((r) => r.method === 'GET' && r.access !== 'public')) {
      const res = await live.send('GET', targetOf(route.url), {
        connection: 'Upgrade',
        upgrade: 'websocket',
        'sec-websocket-version': '13',
        'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
        'sec-websocket-protocol': 'gluon.v1, gluon-token.wrong',
      });
      if (res.status !== 401) refused.push(`${route.url} → ${res.status}`);
    }
    expect(refused).toEqual([]);
  });
});

describe('registering a route', () => {
  const gated = () => {
    const app = Fastify();
    installSecurity(app, { token: 't'.repeat(64), allowedHosts: [], port: () => 80 });
    return app;
  };

  it('is refused without an access rule, at the root and in a plugin scope', async () => {
    const root = gated();
    expect(() => root.get('/api/open', async () => 'open')).toThrow(/declares no access rule/);
    expect(() => root.route({ method: 'POST', url: '/x', config: {}, handler: async () => 'x' })).toThrow(
      /declares no access rule/,
    );
    await root.close();
    const scoped = gated();
    void scoped.register(async (scope) => {
      scope.post('/api/scoped', async () => 'scoped');
    });
    await expect(scoped.ready()).rejects.toThrow(/declares no access rule/);
  });

  it('is accepted with a rule, and recorded with its HEAD twin', async () => {
    const app = gated();
    app.get('/api/ok', { config: { access: 'viewer' as const } }, async () => 'ok');
    await app.ready();
    expect(routeTable(app).map((r) => `${r.method} ${r.url} ${r.access}`)).toEqual([
      'GET /api/ok viewer',
      'HEAD /api/ok viewer',
    ]);
    await app.close();
  });
});

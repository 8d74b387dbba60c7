/**
 * The gate over a real socket, with request lines sent byte for byte (an HTTP client or `inject` would
 * normalise the spellings under test): every spelling of an API route needs the token, only origin-form
 * targets are served, and a WebSocket upgrade passes the same decision.
 */
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeRepo, startLiveApp, type LiveApp } from './testing/live-app.js';

/** Spellings of GET /api/projects that a router or a proxy could read as that route. */
const PROJECTS_SPELLINGS = [
  '/%61pi/projects',
  '/%61%70%69/projects',
  '/api/%70rojects',
  '/%2561pi/projects',
  '/%252561pi/projects',
  '/API/projects',
  '/Api/Projects',
  '/aPI/projects',
  '/api/./projects',
  '/./api/projects',
  '/x/../api/projects',
  '/api/x/../projects',
  '/%2e/api/projects',
  '/.%2e/api/projects',
  '/x/%2e%2e/api/projects',
  '//api/projects',
  '/api//projects',
  '///api///projects',
  '/api%2Fprojects',
  '/api%2fprojects',
  '/%2Fapi/projects',
  '/api%5Cprojects',
  '/api/projects/',
  '/api/projects?x=1',
  '/api/projects;x',
  '/api/projects%00',
  '/api/projects%20',
];

/** Spellings of routes that do not exist: without the token, none may say so. */
const UNKNOWN = [
  '/api',
  '/api/',
  '/api/nope',
  '/%61pi/nope',
  '/API/nope',
  '/api//nope',
  '/api/tasks/abcdef/nope',
];

/** Targets that are not origin-form. */
const NOT_ORIGIN_FORM = (port: number) => [
  `http://127.0.0.1:${port}/api/tasks`,
  `HTTP://127.0.0.1:${port}/api/projects`,
  `http://evil.example/api/tasks`,
  `https://127.0.0.1:${port}/api/ws`,
  '*',
];

const WS_UPGRADE = {
  connection: 'Upgrade',
  upgrade: 'websocket',
  'sec-websocket-version': '13',
  'sec-websocket-key': 'dGhlIHNhbXBsZSBub25jZQ==',
  'sec-websocket-protocol': 'gluon.v1',
};

describe('the gate decides on the route that matched, whatever the spelling', () => {
  let live: LiveApp;
  let wrong: Record<string, string>[];
  let intruder: string;
  beforeAll(async () => {
    live = await startLiveApp();
    // A real repository: a POST that slipped through would add it as a project.
    intruder = makeRepo(path.dirname(live.home), 'intruder');
    wrong = [
      {},
      { authorization: 'Bearer wrong' },
      { authorization: `Bearer ${live.token.slice(0, -1)}${live.token.endsWith('0') ? '1' : '0'}` },
      { authorization: live.token },
      { 'sec-websocket-protocol': 'gluon.v1, gluon-token.nope' },
    ];
  });
  afterAll(async () => live?.close());

  it('answers the plain spelling with the token (the control for everything below)', async () => {
    const ok = await live.send('GET', '/api/projects', { authorization: `Bearer ${live.token}` });
    expect(ok.status).toBe(200);
    expect(ok.json).toMatchObject([{ name: 'sample' }]);
  });

  it.each(PROJECTS_SPELLINGS)('401 for GET and POST %s without the right token', async (target) => {
    for (const headers of wrong) {
      const get = await live.send('GET', target, headers);
      expect(get.status, `GET ${target} ${JSON.stringify(headers)}`).toBe(401);
      expect(get.json).toMatchObject({ error: { code: 'unauthorized', message: expect.any(String) } });
      const body = JSON.stringify({ path: intruder, name: 'intruder' });
      const post = await live.send('POST', target, { ...headers, 'content-type': 'application/json' }, body);
      expect(post.status, `POST ${target}`).toBe(401);
    }
  });

  it('adds no project through any of those spellings', async () => {
    const body = JSON.stringify({ path: intruder, name: 'intruder' });
    for (const target of PROJECTS_SPELLINGS)
      await live.send('POST', target, { 'content-type': 'application/json' }, body);
    expect((await live.services.projects.list()).map((p) => p.name)).toEqual(['sample']);
  });

  it.each(UNKNOWN)('401 for unknown route %s without the token, 404 with it', async (target) => {
    for (const method of ['GET', 'POST', 'DELETE', 'PUT', 'OPTIONS']) {
      for (const headers of wrong) expect((await live.send(method, target, headers)).status).toBe(401);
      const known = await live.send(method, target, { authorization: `Bearer ${live.token}` });
      expect(known.status, `${method} ${target}`).toBe(404);
      expect(known.json).toMatchObject({ error: { code: 'not_found' } });
    }
  });

  it('refuses request targets that are not origin-form, even with the token', async () => {
    for (const target of NOT_ORIGIN_FORM(live.port)) {
      for (const method of ['GET', 'POST', 'OPTIONS']) {
        for (const headers of [{}, { authorization: `Bearer ${live.token}` }] as Record<string, string>[]) {
          const res = await live.send(method, target, headers);
          expect(res.status, `${method} ${target}`).toBe(400);
          expect(res.json).toMatchObject({ error: { code: 'invalid_request_target' } });
        }
      }
    }
  });

  it('never upgrades a WebSocket without the token, under any spelling', async () => {
    const targets = [
      '/api/ws',
      '/%61pi/ws',
      '/%2561pi/ws',
      '/API/ws',
      '/api//ws',
      '/api/./ws',
      '/x/../api/ws',
    ];
    for (const target of [...targets, '/api/ws/', '/api%2Fws', '/api/nope']) {
      for (const headers of wrong) {
        const res = await live.send('GET', target, { ...WS_UPGRADE, ...headers });
        expect(res.status, `upgrade ${target} ${JSON.stringify(headers)}`).toBe(401);
      }
    }
    for (const target of NOT_ORIGIN_FORM(live.port)) {
      const res = await live.send('GET', target, {
        ...WS_UPGRADE,
        'sec-websocket-protocol': `gluon.v1, gluon-token.${live.token}`,
      });
      expect(res.status, `upgrade ${target}`).toBe(400);
    }
  });

  it('upgrades only the WebSocket route, and only with the token', async () => {
    const withToken = { ...WS_UPGRADE, 'sec-websocket-protocol': `gluon.v1, gluon-token.${live.token}` };
    expect((await live.send('GET', '/api/ws', withToken)).status).toBe(101);
    for (const target of ['/', '/board', '/assets/x.js', '/api/projects']) {
      const res = await live.send('GET', target, withToken);
      expect(res.status, `upgrade ${target}`).toBe(404);
    }
  });

  it('gates what the router refuses before routing (bad escapes, over-long parameters) like the rest', async () => {
    const auth = { authorization: `Bearer ${live.token}` };
    for (const target of ['/api/tasks/%zz', '/%61pi/tasks/%E0%A4%A', `/api/tasks/${'a'.repeat(300)}`]) {
      for (const headers of wrong) expect((await live.send('GET', target, headers)).status, target).toBe(401);
      // With the token: a 400 in the API's shape (or the 404 of the catch-all, for a parameter too long).
      const res = await live.send('GET', target, auth);
      expect([400, 404], target).toContain(res.status);
      expect(res.json).toMatchObject({ error: { code: expect.any(String), message: expect.any(String) } });
    }
  });

  it('answers what Node cannot parse, a plain request to the WebSocket, and stray queries in its own shape', async () => {
    const shape = { error: { code: expect.any(String), message: expect.any(String) } };
    const garbage = await live.send('GET', '/api/ta sks', {});
    expect(garbage.status).toBe(400);
    expect(garbage.json).toMatchObject(shape);
    const auth = { authorization: `Bearer ${live.token}` };
    const plain = await live.send('GET', '/api/ws', auth);
    expect(plain.status).toBe(426);
    expect(plain.json).toMatchObject({ error: { code: 'upgrade_required' } });
    for (const target of ['/api/health?x=1', '/api/projects?limit=5', '/api/workspaces?q=']) {
      const res = await live.send('GET', target, auth);
      expect(res.status, target).toBe(400);
      expect(res.json).toMatchObject({ error: { code: 'invalid_input' } });
    }
  });

  it('sends a CSP that also pins <base> and form targets, on answers and refusals alike', async () => {
    const auth = { authorization: `Bearer ${live.token}` };
    for (const res of [
      await live.send('GET', '/api/projects', auth),
      await live.send('GET', '/api/nope', auth),
      await live.send('GET', '/'),
    ]) {
      const csp = res.headers['content-security-policy'] ?? '';
      expect(csp).toContain("default-src 'self'");
      expect(csp).toContain("base-uri 'none'");
      expect(csp).toContain("form-action 'self'");
      expect(csp).toContain("frame-ancestors 'none'");
    }
  });

  it('serves the dashboard without the token (its static files are the only public route)', async () => {
    const page = await live.send('GET', '/');
    expect(page.status).not.toBe(401);
    expect([200, 503]).toContain(page.status);
  });
});

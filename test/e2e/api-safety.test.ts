import { existsSync, readFileSync, statSync, symlinkSync } from 'node:fs';
import http from 'node:http';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import WebSocket from 'ws';
import { API_KEY, settled, startGluon, tempDir, waitForTask, type Gluon } from './harness.js';

interface Answer {
  status: number;
  body: unknown;
}

/** A raw HTTP request, so tests can send any Host, Origin, body or token. */
function request(
  g: Gluon,
  opts: { method?: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<Answer> {
  const url = new URL(g.server.url);
  return new Promise((resolve, reject) => {
    const req = http.request(
      {
        host: url.hostname,
        port: url.port,
        method: opts.method ?? 'GET',
        path: opts.path,
        headers: opts.headers,
      },
      (res) => {
        let text = '';
        res.on('data', (d: Buffer) => (text += d.toString()));
        res.on('end', () => {
          let body: unknown = text;
          try {
            body = JSON.parse(text);
          } catch {
            // not JSON
          }
          resolve({ status: res.statusCode ?? 0, body });
        });
      },
    );
    req.on('error', reject);
    if (opts.body !== undefined) req.write(opts.body);
    req.end();
  });
}

const errorShape = { error: { code: expect.any(String), message: expect.any(String) } };

describe('the API refuses bad input clearly and keeps serving', () => {
  let g: Gluon;
  let auth: Record<string, string>;
  beforeAll(async () => {
    g = await startGluon();
    auth = { authorization: `Bearer ${g.server.token}`, 'content-type': 'application/json' };
  });
  afterAll(async () => g?.close());

  it('stores the token with mode 600 and binds loopback only', () => {
    const mode = statSync(path.join(g.home, 'token')).mode & 0o777;
    expect(mode).toBe(0o600);
    expect(new URL(g.server.url).hostname).toBe('127.0.0.1');
  });

  it.each([
    '/api/tasks',
    '/api/projects',
    '/api/costs',
    '/api/no-such-route',
    '/api/tasks/abcd/cancel',
    '/%61pi/projects',
    '/%2561pi/tasks',
    '/API/tasks',
    '//api/projects',
    '/x/../api/tasks',
    '/api%2Fprojects',
    '/%61pi/no-such-route',
  ])('401 on %s without a token, with a wrong one, and with a near miss', async (p) => {
    for (const headers of [
      {} as Record<string, string>,
      { authorization: 'Bearer wrong' },
      { authorization: `Bearer ${g.server.token.slice(0, -1)}x` },
      { authorization: g.server.token },
    ]) {
      const res = await request(g, { method: p.endsWith('cancel') ? 'POST' : 'GET', path: p, headers });
      expect(res.status).toBe(401);
      expect(res.body).toMatchObject({ error: { code: 'unauthorized' } });
    }
  });

  it('refuses request targets that are not origin-form (absolute-form, asterisk-form), even with the token', async () => {
    for (const target of [`${g.server.url}/api/tasks`, 'http://evil.example/api/projects', '*']) {
      const res = await request(g, { method: 'OPTIONS', path: target, headers: auth });
      expect(res.status, target).toBe(400);
      expect(res.body).toMatchObject({ error: { code: 'invalid_request_target' } });
    }
  });

  it('refuses the WebSocket without the token, and with a foreign Origin', async () => {
    const wsUrl = `${g.server.url.replace('http', 'ws')}/api/ws`;
    const refused = (ws: WebSocket) =>
      new Promise<number>((resolve) => {
        ws.on('unexpected-response', (_req, res) => resolve(res.statusCode ?? 0));
        ws.on('open', () => resolve(101));
        ws.on('error', () => {});
      });
    expect(await refused(new WebSocket(wsUrl, ['gluon.v1']))).toBe(401);
    expect(await refused(new WebSocket(wsUrl, ['gluon.v1', 'gluon-token.nope']))).toBe(401);
    expect(
      await refused(
        new WebSocket(wsUrl, ['gluon.v1'], {
          headers: { authorization: `Bearer ${g.server.token}`, origin: 'https://evil.example' },
        }),
      ),
    ).toBe(403);
    const ok = new WebSocket(wsUrl, ['gluon.v1', `gluon-token.${g.server.token}`], {
      headers: { origin: g.server.url },
    });
    expect(await refused(ok)).toBe(101);
    ok.close();
  });

  it('403 on a foreign Origin or Host, even with the token (cross-site requests, DNS rebinding)', async () => {
    const foreignOrigin = await request(g, {
      method: 'POST',
      path: '/api/tasks',
      headers: { ...auth, origin: 'https://evil.example' },
      body: '{}',
    });
    expect(foreignOrigin.status).toBe(403);
    const rebinding = await request(g, {
      path: '/api/tasks',
      headers: { ...auth, host: 'evil.example:45866' },
    });
    expect(rebinding.status).toBe(403);
    const sameOrigin = await request(g, { path: '/api/tasks', headers: { ...auth, origin: g.server.url } });
    expect(sameOrigin.status).toBe(200);
  });

  it('answers malformed requests with 4xx {error:{code,message}} and never a 5xx', async () => {
    const loop = path.join(g.home, 'loop');
    symlinkSync(loop, loop);
    const cases: {
      method: string;
      path: string;
      body?: string | Buffer;
      headers?: Record<string, string>;
      status: number;
      code?: string;
    }[] = [
      { method: 'POST', path: '/api/tasks', body: '{not json', status: 400, code: 'invalid_json' },
      { method: 'POST', path: '/api/tasks', body: '[]', status: 400, code: 'invalid_input' },
      {
        method: 'POST',
        path: '/api/tasks',
        body: JSON.stringify({ project: 'sample' }),
        status: 400,
        code: 'invalid_input',
      },
      {
        method: 'POST',
        path: '/api/tasks',
        body: JSON.stringify({ project: 'sample', prompt: 42 }),
        status: 400,
        code: 'invalid_input',
      },
      {
        method: 'POST',
        path: '/api/tasks',
        body: JSON.stringify({ project: 'sample', prompt: 'x', profile: 'huge' }),
        status: 400,
        code: 'invalid_input',
      },
      {
        method: 'POST',
        path: '/api/tasks',
        body: JSON.stringify({ project: 'sample', prompt: 'x', maxCostUsd: -1 }),
        status: 400,
        code: 'invalid_input',
      },
      {
        method: 'POST',
        path: '/api/tasks',
        body: JSON.stringify({ project: 'sample', prompt: 'x', extra: true }),
        status: 400,
        code: 'invalid_input',
      },
      {
        method: 'POST',
        path: '/api/tasks',
        body: JSON.stringify({ project: 'nope', prompt: 'x' }),
        status: 404,
        code: 'not_found',
      },
      {
        method: 'POST',
        path: '/api/tasks',
        body: Buffer.alloc(10 * 1024 * 1024, 'a'),
        status: 413,
        code: 'payload_too_large',
      },
      {
        method: 'POST',
        path: '/api/tasks',
        body: 'prompt=x',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        status: 415,
      },
      { method: 'GET', path: '/api/tasks/zzzzzzzzzzzz', status: 404, code: 'not_found' },
      { method: 'GET', path: '/api/tasks/ab', status: 400, code: 'invalid_input' },
      { method: 'GET', path: '/api/tasks/..%2F..%2Fetc', status: 400, code: 'invalid_input' },
      { method: 'GET', path: '/api/tasks?status=bogus', status: 400, code: 'invalid_input' },
      { method: 'GET', path: '/api/costs?by=planet', status: 400, code: 'invalid_input' },
      {
        method: 'POST',
        path: '/api/tasks/zzzzzzzz/move',
        body: JSON.stringify({ status: 'flying' }),
        status: 400,
        code: 'invalid_input',
      },
      {
        method: 'POST',
        path: '/api/tasks/zzzzzzzz/answer',
        body: JSON.stringify({ text: '' }),
        status: 400,
        code: 'invalid_input',
      },
      {
        method: 'POST',
        path: '/api/projects',
        body: JSON.stringify({ path: 'relative/path' }),
        status: 400,
        code: 'invalid_input',
      },
      {
        method: 'POST',
        path: '/api/projects',
        body: JSON.stringify({ path: '/definitely/not/here' }),
        status: 400,
        code: 'not_found',
      },
      {
        method: 'POST',
        path: '/api/projects',
        body: JSON.stringify({ path: tempDir('plain') }),
        status: 400,
        code: 'not_a_repository',
      },
      {
        method: 'POST',
        path: '/api/projects',
        body: JSON.stringify({ path: loop }),
        status: 400,
        code: 'invalid_input',
      },
      {
        method: 'POST',
        path: '/api/projects',
        body: JSON.stringify({ path: `/${'x'.repeat(300)}` }),
        status: 400,
        code: 'invalid_input',
      },
      {
        method: 'POST',
        path: '/api/projects',
        body: JSON.stringify({ path: path.join(g.repo, 'README.md', 'inside') }),
        status: 400,
        code: 'not_found',
      },
      {
        method: 'POST',
        path: '/api/projects',
        body: JSON.stringify({ path: `${g.repo}\u0000` }),
        status: 400,
        code: 'invalid_input',
      },
      {
        method: 'POST',
        path: '/api/projects',
        body: JSON.stringify({ path: g.repo, name: 'sample' }),
        status: 409,
        code: 'duplicate_name',
      },
      {
        method: 'POST',
        path: '/api/projects',
        body: JSON.stringify({ path: g.repo, name: 'other' }),
        status: 409,
        code: 'duplicate_path',
      },
      {
        method: 'POST',
        path: '/api/projects',
        body: JSON.stringify({ path: g.repo, name: '-rf' }),
        status: 400,
        code: 'invalid_input',
      },
      { method: 'DELETE', path: '/api/tasks', status: 404, code: 'not_found' },
    ];
    for (const c of cases) {
      const headers: Record<string, string> = {
        authorization: auth.authorization!,
        ...(c.body !== undefined ? { 'content-type': 'application/json' } : {}),
        ...(c.headers ?? {}),
      };
      const res = await request(g, { method: c.method, path: c.path, body: c.body, headers });
      expect(res.status, `${c.method} ${c.path} ${String(c.body ?? '').slice(0, 60)}`).toBe(c.status);
      expect(res.body).toMatchObject(errorShape);
      if (c.code) expect((res.body as { error: { code: string } }).error.code).toBe(c.code);
    }
    const health = await request(g, { path: '/api/health', headers: auth });
    expect(health.status).toBe(200);
  });

  it('survives a burst of random malformed requests: 0 crashes, 0 5xx', async () => {
    const junk = [
      '{',
      '"x"',
      'null',
      '{"project":{}}',
      '{"prompt":[1,2]}',
      '\u0000\u0001',
      '{"status":"done"}',
      'true',
    ];
    const paths = [
      '/api/tasks',
      '/api/projects',
      '/api/tasks/abcd/move',
      '/api/tasks/abcd/resume',
      '/api/tasks/abcd/deny',
    ];
    let fivexx = 0;
    for (let i = 0; i < 300; i++) {
      const res = await request(g, {
        method: 'POST',
        path: paths[i % paths.length]!,
        body: junk[i % junk.length],
        headers: auth,
      });
      if (res.status >= 500) fivexx++;
      expect(res.status).toBeGreaterThanOrEqual(400);
      expect(res.body).toMatchObject(errorShape);
    }
    expect(fivexx).toBe(0);
  });

  it('passes a prompt full of shell metacharacters to the agent verbatim, never to a shell', async () => {
    const canary = path.join(g.home, 'canary');
    const nasty = `$(touch ${canary}) \`touch ${canary}\` ; touch ${canary} && echo "double" 'single' | cat > /dev/null\nnext line -rf --force`;
    const created = await g.client.createTask({
      project: 'sample',
      prompt: `[[scenario:echo-prompt path=prompt.md]] ${nasty}`,
      title: `$(touch ${canary})`,
    });
    const task = await waitForTask(g.client, created.id, settled, 'the echo task');
    expect(task.status).toBe('review');
    expect(readFileSync(path.join(task.worktreePath!, 'prompt.md'), 'utf8')).toBe(nasty);
    expect(task.title).toBe(`$(touch ${canary})`);
    expect(existsSync(canary)).toBe(false);
  });

  it('redacts secrets from stored and streamed events', async () => {
    const created = await g.client.createTask({
      project: 'sample',
      prompt: `[[scenario:bash cmd="echo key=$ANTHROPIC_API_KEY token=${g.server.token} gh=ghp_abcdefghijklmnopqrstuvwxyz0123456789"]] print secrets`,
    });
    const task = await waitForTask(g.client, created.id, settled, 'the bash task');
    const { events } = await g.client.events(task.id, { limit: 10_000 });
    const text = JSON.stringify(events);
    expect(text).not.toContain(API_KEY);
    expect(text).not.toContain(g.server.token);
    expect(text).not.toContain('ghp_abcdefghijklmnopqrstuvwxyz0123456789');
    expect(text).toContain('[REDACTED]');
    const db = readFileSync(path.join(g.home, 'gluon.db'));
    expect(db.includes(Buffer.from(g.server.token))).toBe(false);
  });
});

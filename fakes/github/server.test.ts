import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startFakeGitHub, type FakeGitHub } from './index.js';

let fake: FakeGitHub;
beforeAll(async () => {
  fake = await startFakeGitHub({ tokens: ['ghp_t'] });
});
afterAll(() => fake?.stop());

async function call(method: string, path: string, body?: unknown, token: string | null = 'ghp_t') {
  const res = await fetch(`${fake.url}${path}`, {
    method,
    headers: { ...(token ? { authorization: `Bearer ${token}` } : {}), 'content-type': 'application/json' },
    body: body === undefined ? undefined : typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: res.status, body: (await res.json()) as Record<string, unknown> & unknown[] };
}

describe('fake GitHub', () => {
  it('checks the token on every route', async () => {
    expect(await call('GET', '/repos/o/r/pulls', undefined, null)).toMatchObject({
      status: 401,
      body: { message: 'Requires authentication' },
    });
    expect(await call('GET', '/repos/o/r/pulls', undefined, 'nope')).toMatchObject({
      status: 401,
      body: { message: 'Bad credentials' },
    });
  });

  it('creates, lists, updates and merges pull requests like the REST API', async () => {
    const created = await call('POST', '/repos/o/r/pulls', {
      head: 'feat',
      base: 'main',
      title: 'T',
      body: 'B',
    });
    expect(created).toMatchObject({
      status: 201,
      body: { number: 1, state: 'open', merged: false, head: { ref: 'feat' }, base: { ref: 'main' } },
    });
    expect(await call('POST', '/repos/o/r/pulls', { head: 'feat', base: 'main', title: 'T' })).toMatchObject({
      status: 422,
    });
    expect((await call('GET', '/repos/o/r/pulls?head=o:feat')).body).toHaveLength(1);
    expect((await call('GET', '/repos/o/r/pulls?head=o:other')).body).toHaveLength(0);
    expect(await call('PATCH', '/repos/o/r/pulls/1', { title: 'T2' })).toMatchObject({
      body: { title: 'T2' },
    });
    expect(await call('PUT', '/repos/o/r/pulls/1/merge', {})).toMatchObject({
      status: 200,
      body: { merged: true },
    });
    expect(await call('GET', '/repos/o/r/pulls/1')).toMatchObject({
      body: { state: 'closed', merged: true },
    });
    expect(await call('PUT', '/repos/o/r/pulls/1/merge', {})).toMatchObject({ status: 405 });
    expect((await call('GET', '/repos/o/r/pulls?state=all')).body).toHaveLength(1);
    expect((await call('GET', '/repos/o/r/pulls')).body).toHaveLength(0);
  });

  it('keeps the latest commit status per context', async () => {
    const sha = 'b'.repeat(40);
    await call('POST', `/repos/o/r/statuses/${sha}`, { state: 'pending', context: 'ci' });
    await call('POST', `/repos/o/r/statuses/${sha}`, { state: 'success', context: 'ci' });
    expect(await call('GET', `/repos/o/r/commits/${sha}/status`)).toMatchObject({
      body: { state: 'success', total_count: 1 },
    });
  });

  it('answers unknown routes with 404 and bad JSON with 400, and records every request', async () => {
    expect(await call('GET', '/user')).toMatchObject({ status: 404 });
    expect(await call('POST', '/repos/o/r/pulls', '{not json')).toMatchObject({ status: 400 });
    expect(fake.requests.at(-2)).toMatchObject({ method: 'GET', path: '/user' });
  });
});

import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { buildEvent, buildTask } from '../cli/src/testing/fixtures.js';
import { startFakeApi, type FakeApi } from '../cli/src/testing/fake-api.js';
import { ApiError, createClient, iterateEvents } from './client.js';

let api: FakeApi;
beforeEach(async () => {
  api = await startFakeApi();
});
afterEach(async () => {
  await api.close();
});

describe('createClient', () => {
  it('sends the bearer token, JSON bodies and query strings', async () => {
    api.on('POST', '/api/tasks/abcd/deny', { body: buildTask() });
    api.on('GET', '/api/tasks', { body: [] });
    const client = createClient({ baseUrl: `${api.url}/`, token: 's3cret' });

    await client.deny('abcd', 'too risky');
    await client.listTasks({ status: 'review', project: 'demo' });

    expect(api.requests[0]).toMatchObject({
      method: 'POST',
      path: '/api/tasks/abcd/deny',
      body: { reason: 'too risky' },
      headers: { authorization: 'Bearer s3cret', 'content-type': 'application/json' },
    });
    expect(api.requests[1]).toMatchObject({
      path: '/api/tasks',
      query: { status: 'review', project: 'demo' },
    });
  });

  it('omits empty query parameters and the body of bodiless actions', async () => {
    api.on('GET', '/api/costs', { body: { today: 0, week: 0, month: 0, total: 0, unpricedModels: [] } });
    api.on('POST', '/api/tasks/abcd/approve', { body: buildTask() });
    const client = createClient({ baseUrl: api.url });
    await client.costs();
    await client.approve('abcd');
    expect(api.requests[0]!.query).toEqual({});
    expect(api.requests[0]!.headers.authorization).toBeUndefined();
    expect(api.requests[1]!.body).toBeUndefined();
  });

  it('throws ApiError with the code and message of an error body', async () => {
    api.on('GET', '/api/tasks/abcd', {
      status: 409,
      body: { error: { code: 'ambiguous_id', message: 'abcd matches 2 tasks' } },
    });
    const error = await createClient({ baseUrl: api.url })
      .getTask('abcd')
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(ApiError);
    expect(error).toMatchObject({ status: 409, code: 'ambiguous_id', message: 'abcd matches 2 tasks' });
  });

  it("serves the dashboard's routes: file and command completion, images up and down", async () => {
    api.on('GET', '/api/projects/p%201/files', {
      body: { files: [{ path: 'a.ts', positions: [0] }], total: 1 },
    });
    api.on('GET', '/api/projects/p%201/commands', { body: [] });
    const client = createClient({ baseUrl: api.url });
    expect(await client.searchFiles('p 1', 'a&b')).toEqual({
      files: [{ path: 'a.ts', positions: [0] }],
      total: 1,
    });
    expect(await client.listCommands('p 1')).toEqual([]);
    expect(api.requests[0]!.query).toEqual({ q: 'a&b' });

    const seen: { url: string; type: string | null; body: string }[] = [];
    const fakeFetch: typeof fetch = async (input, init) => {
      const body = init?.body instanceof Blob ? await init.body.text() : '';
      seen.push({ url: String(input), type: new Headers(init?.headers).get('content-type'), body });
      return String(input).includes('/api/attachments/')
        ? new Response(new Blob(['PNG…'], { type: 'image/png' }))
        : Response.json({ id: 'a'.repeat(12), name: 'x.png', mime: 'image/png', size: 4 });
    };
    const images = createClient({ baseUrl: 'http://h', token: 't', fetch: fakeFetch });
    await images.uploadAttachment(new Blob(['PNG…'], { type: 'image/png' }), 'x y.png');
    const blob = await images.attachment('aaaabbbbcccc');
    expect(seen[0]).toEqual({
      url: 'http://h/api/attachments?name=x+y.png',
      type: 'image/png',
      body: 'PNG…',
    });
    expect(seen[1]!.url).toBe('http://h/api/attachments/aaaabbbbcccc');
    expect([blob.type, await blob.text()]).toEqual(['image/png', 'PNG…']);
  });

  it('turns a non-JSON error answer into http_error', async () => {
    api.on('GET', '/api/health', { status: 502, raw: '<html>bad gateway</html>' });
    await expect(createClient({ baseUrl: api.url }).health()).rejects.toMatchObject({
      status: 502,
      code: 'http_error',
    });
  });

  it('says the server is unreachable when nothing listens', async () => {
    const port = await freePort();
    const error = await createClient({ baseUrl: `http://127.0.0.1:${port}` })
      .health()
      .catch((e: unknown) => e);
    expect(error).toMatchObject({ status: 0, code: 'unreachable' });
    expect((error as Error).message).toContain(`http://127.0.0.1:${port}`);
    expect((error as Error).message).toContain('gluon serve');
  });
});

describe('iterateEvents', () => {
  it('pages through the stored events in order, also through pages cut short of the limit', async () => {
    const all = [1, 2, 3, 4, 5].map((seq) => buildEvent(seq, 'notice', { message: `n${seq}` }));
    api.on('GET', '/api/tasks/abcd/events', (request) => {
      const after = Number(request.query.after);
      // The server cuts a page at a byte budget too: here the third event gets a page of its own.
      const limit = after === 2 ? 1 : Number(request.query.limit);
      const events = all.filter((e) => e.seq > after).slice(0, limit);
      const lastSeq = events.at(-1)?.seq ?? after;
      return { body: { events, lastSeq, more: lastSeq < 5 } };
    });
    const client = createClient({ baseUrl: api.url });
    const seen: number[] = [];
    for await (const event of iterateEvents(client, 'abcd', { pageSize: 2 })) seen.push(event.seq);
    expect(seen).toEqual([1, 2, 3, 4, 5]);
    expect(api.requests.map((r) => r.query.after)).toEqual(['0', '2', '3']);
  });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

import { request } from 'node:http';
import { afterEach, describe, expect, it } from 'vitest';
import { listen, readBody, sendJson, type LoopbackServer } from './http.js';

let server: LoopbackServer | undefined;

afterEach(async () => {
  await server?.close();
  server = undefined;
});

describe('listen', () => {
  it('serves on 127.0.0.1 at a free port', async () => {
    server = await listen((_req, res) => sendJson(res, 200, { ok: true }));
    expect(server.url).toBe(`http://127.0.0.1:${server.port}`);
    const res = await fetch(server.url);
    expect(res.headers.get('content-type')).toBe('application/json');
    expect(await res.json()).toEqual({ ok: true });
  });

  it('answers a fault of the handler with a 500, by default as text', async () => {
    server = await listen(() => {
      throw new Error('broken');
    });
    const res = await fetch(server.url);
    expect(res.status).toBe(500);
    expect(await res.text()).toBe('fake fault: broken');
  });

  it('lets the fake answer its faults its own way', async () => {
    server = await listen(async () => Promise.reject(new Error('broken')), {
      onFault: (res, error) => sendJson(res, 503, { error: String(error) }),
    });
    const res = await fetch(server.url);
    expect(res.status).toBe(503);
    expect(await res.json()).toEqual({ error: 'Error: broken' });
  });

  it('closes with a request still open', async () => {
    server = await listen(() => undefined);
    const { port } = server;
    const dropped = new Promise<string>((resolve) => {
      request({ port, host: '127.0.0.1' }, () => resolve('answered'))
        .on('error', (error) => resolve(error.message))
        .end();
    });
    await new Promise((resolve) => setTimeout(resolve, 50));
    await server.close();
    server = undefined;
    expect(await dropped).toMatch(/socket hang up|ECONNRESET/);
  });
});

describe('readBody', () => {
  it('reads the whole body, or null when it exceeds the cap', async () => {
    const seen: (string | null)[] = [];
    server = await listen(async (req, res) => {
      const capped = await readBody(req, 10);
      seen.push(capped === null ? null : capped.toString('utf8'));
      res.end();
    });
    for (const body of ['short', 'longer than ten bytes']) await fetch(server.url, { method: 'POST', body });
    expect(seen).toEqual(['short', null]);
  });
});

import Fastify from 'fastify';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inProcessFetch } from './in-process-fetch.js';

describe('inProcessFetch', () => {
  const app = Fastify();
  app.addHook('onRequest', async (req, reply) => {
    if (req.headers.authorization !== 'Bearer right') return reply.code(401).send({ error: 'no' });
  });
  app.all('/api/echo', async (req) => ({ method: req.method, url: req.url, body: req.body ?? null }));
  app.delete('/api/empty', async (_req, reply) => reply.code(204).send());
  const doFetch = inProcessFetch(app);
  const auth = { authorization: 'Bearer right' };

  beforeAll(() => app.ready());
  afterAll(() => app.close());

  it('sends method, path, query, headers and a JSON body through the app, hooks included', async () => {
    const res = await doFetch('http://localhost/api/echo?a=1&b=two', {
      method: 'post',
      headers: { ...auth, 'content-type': 'application/json' },
      body: JSON.stringify({ x: 1 }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    expect(await res.json()).toEqual({ method: 'POST', url: '/api/echo?a=1&b=two', body: { x: 1 } });
  });

  it('answers what the hooks answer (no token, no route)', async () => {
    const refused = await doFetch('http://localhost/api/echo');
    expect(refused.status).toBe(401);
    expect(await refused.json()).toEqual({ error: 'no' });
    expect((await doFetch('http://localhost/api/none', { headers: auth })).status).toBe(404);
  });

  it('answers a body-less status without a body', async () => {
    const res = await doFetch('http://localhost/api/empty', { method: 'DELETE', headers: auth });
    expect(res.status).toBe(204);
    expect(await res.text()).toBe('');
  });

  it('refuses bodies other than text', async () => {
    await expect(
      doFetch('http://localhost/api/echo', { method: 'POST', headers: auth, body: new Blob(['x']) }),
    ).rejects.toThrow(/JSON text/);
  });
});

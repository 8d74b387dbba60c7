/**
 * A `fetch` that sends requests through this Fastify app in-process (`inject`), for clients that live in
 * the server itself (the MCP endpoint's API client): no socket, no dependence on the bind address, and
 * every request still passes the gate, the routes' validation and the error mapping like one from outside.
 */
import type { FastifyInstance, HTTPMethods } from 'fastify';

/** Builds the in-process fetch over `app`; bodies may only be text (JSON), which is all such clients send. */
export function inProcessFetch(app: FastifyInstance): typeof fetch {
  return async (input, init) => {
    const url = new URL(input instanceof Request ? input.url : String(input));
    const body = init?.body;
    if (body !== undefined && body !== null && typeof body !== 'string')
      throw new TypeError('in-process requests carry JSON text bodies only');
    const headers: Record<string, string> = {};
    new Headers(init?.headers).forEach((value, name) => (headers[name] = value));
    const res = await app.inject({
      method: (init?.method ?? 'GET').toUpperCase() as HTTPMethods,
      url: `${url.pathname}${url.search}`,
      headers,
      ...(body ? { payload: body } : {}),
    });
    const type = res.headers['content-type'];
    const noBody = res.statusCode === 204 || res.statusCode === 304;
    return new Response(noBody ? null : res.payload, {
      status: res.statusCode,
      headers: typeof type === 'string' ? { 'content-type': type } : {},
    });
  };
}

/**
 * /api/mcp: Gluon's MCP tools over streamable HTTP, stateless. The gate has already required the token
 * (and checked Host and Origin) like on every /api/ route; the tools' API client acts with the caller's
 * own token through the app in-process, so an MCP call meets exactly the rules of a direct API call.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import { createClient } from '../../../../shared/client.js';
import { needs, tokenOf } from '../access.js';
import { inProcessFetch } from '../in-process-fetch.js';

/** One JSON-RPC message or batch; a task prompt is at most 100,000 characters. */
export const MCP_BODY_LIMIT = 1024 * 1024;

/** The request headers the MCP transport reads; the token stays out of it. */
const FORWARDED = ['accept', 'content-type', 'mcp-protocol-version'];

export function registerMcpRoute(app: FastifyInstance, opts: { version: string }): void {
  const fetch = inProcessFetch(app);
  app.post('/api/mcp', { bodyLimit: MCP_BODY_LIMIT, ...needs('operator') }, async (req, reply) => {
    const client = createClient({ baseUrl: 'http://localhost', token: tokenOf(req) ?? '', fetch });
    // The MCP SDK is loaded on the first MCP request.
    const { handleMcpPost } = await import('../../../../mcp/src/http.js');
    const answer = await handleMcpPost({
      client,
      version: opts.version,
      url: `http://localhost${req.url}`,
      headers: forwardedHeaders(req),
      body: req.body,
    });
    reply.code(answer.status).headers(answer.headers);
    return reply.send(answer.body || undefined);
  });
  // Stateless: no server-initiated stream to open (GET) and no session to end (DELETE).
  app.route({
    method: ['GET', 'DELETE'],
    url: '/api/mcp',
    ...needs('operator'),
    handler: async (_req, reply) =>
      reply
        .code(405)
        .header('allow', 'POST')
        .send({
          error: { code: 'method_not_allowed', message: 'this MCP endpoint is stateless: POST only' },
        }),
  });
}

/** The caller's bearer token, which the gate has already checked: the one its tools act with. */
function forwardedHeaders(req: FastifyRequest): Record<string, string> {
  const headers: Record<string, string> = {};
  for (const name of FORWARDED) {
    const value = req.headers[name];
    if (typeof value === 'string') headers[name] = value;
  }
  return headers;
}

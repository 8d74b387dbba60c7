/**
 * The MCP server over streamable HTTP, stateless as the SDK recommends for servers that keep no per-client
 * state: each POST gets a fresh server and transport, and the answer is plain JSON (no SSE stream), so the
 * host framework sends it like any other response. The caller's token is already in `client`.
 */
import { WebStandardStreamableHTTPServerTransport } from '@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js';
import { createGluonMcpServer, type GluonMcpOptions } from './server.js';

export interface McpHttpAnswer {
  status: number;
  headers: Record<string, string>;
  /** JSON-RPC text, or empty (202 for notifications). */
  body: string;
}

/**
 * Handles one POST to the MCP endpoint.
 * `headers` are the request's (Accept and Content-Type are checked by the transport as the spec says);
 * `body` is the JSON the host already parsed under its own size limit.
 * Rules: what the transport answers passes through, except a refusal (4xx: not JSON-RPC, wrong Accept),
 * which comes in the API's error shape like every other /api/ refusal; the SDK's client reads only the
 * status and text of such an answer anyway.
 */
export async function handleMcpPost(
  opts: GluonMcpOptions & { url: string; headers: Record<string, string>; body: unknown },
): Promise<McpHttpAnswer> {
  const server = createGluonMcpServer(opts);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: undefined,
    enableJsonResponse: true,
  });
  try {
    await server.connect(transport);
    const request = new Request(opts.url, { method: 'POST', headers: opts.headers });
    const response = await transport.handleRequest(request, { parsedBody: opts.body });
    const body = await response.text();
    if (response.status >= 400) return refusal(response.status, body);
    const headers: Record<string, string> = {};
    response.headers.forEach((value, name) => (headers[name] = value));
    return { status: response.status, headers, body };
  } finally {
    await server.close();
  }
}

function refusal(status: number, jsonRpcText: string): McpHttpAnswer {
  let message = `the MCP request was refused (HTTP ${status})`;
  try {
    const parsed = JSON.parse(jsonRpcText) as { error?: { message?: unknown } };
    if (typeof parsed.error?.message === 'string') message = parsed.error.message;
  } catch {
    // Not JSON: keep the generic message.
  }
  return {
    status,
    headers: { 'content-type': 'application/json; charset=utf-8' },
    body: JSON.stringify({ error: { code: 'invalid_mcp_request', message } }),
  };
}

/**
 * Test helper: an in-process fake of the Gluon HTTP API on 127.0.0.1:0 that records every request and
 * answers canned bodies, plus a `ws` server on the same port for the live stream. Not a product module.
 */
import { afterEach, beforeEach } from 'vitest';
import { createServer, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: IncomingHttpHeaders;
  body: unknown;
}

/** A canned answer: a JSON body with a status (200 by default). */
export interface Reply {
  status?: number;
  body?: unknown;
  /** A raw, non-JSON body. */
  raw?: string;
}

export type Handler = (request: RecordedRequest) => Reply;

export interface FakeApi {
  url: string;
  requests: RecordedRequest[];
  /** The WebSocket server at `/api/ws`. */
  wss: WebSocketServer;
  /** Answers `METHOD /path` (exact path, query ignored) with a fixed reply or a handler. */
  on(method: string, path: string, reply: Reply | Handler): void;
  close(): Promise<void>;
}

/** Starts the fake; unrouted requests get 404 `not_found`. */
export async function startFakeApi(): Promise<FakeApi> {
  const routes = new Map<string, Handler>();
  const requests: RecordedRequest[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const text = Buffer.concat(chunks).toString('utf8');
      const recorded: RecordedRequest = {
        method: req.method ?? 'GET',
        path: url.pathname,
        query: Object.fromEntries(url.searchParams),
        headers: req.headers,
        body: text ? (JSON.parse(text) as unknown) : undefined,
      };
      requests.push(recorded);
      const handler = routes.get(`${recorded.method} ${recorded.path}`);
      const reply = handler
        ? handler(recorded)
        : { status: 404, body: { error: { code: 'not_found', message: `no route ${recorded.path}` } } };
      res.writeHead(reply.status ?? 200, { 'content-type': 'application/json' });
      res.end(reply.raw ?? JSON.stringify(reply.body ?? null));
    });
  });
  const wss = new WebSocketServer({ server, path: '/api/ws' });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    wss,
    on(method, path, reply) {
      routes.set(`${method} ${path}`, typeof reply === 'function' ? reply : () => reply);
    },
    async close() {
      for (const client of wss.clients) client.terminate();
      await new Promise<void>((resolve) => wss.close(() => resolve()));
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/**
 * For a test file: a fresh fake API before each test (closed after it), and the environment that points
 * the CLI at it with a token.
 */
export function useFakeApi(): { readonly api: FakeApi; readonly env: NodeJS.ProcessEnv } {
  const current = {} as { api: FakeApi; env: NodeJS.ProcessEnv };
  beforeEach(async () => {
    current.api = await startFakeApi();
    current.env = { GLUON_URL: current.api.url, GLUON_TOKEN: 'tok' };
  });
  afterEach(async () => {
    await current.api.close();
  });
  return current;
}

/**
 * The HTTP plumbing every fake under fakes/ shares: a server on a loopback port (any free one) that
 * answers a fault of the fake itself instead of crashing the test run, and closes with every connection
 * still open (a stream, a long poll); the request body read whole or capped; JSON in and out.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';

export type Handler = (req: IncomingMessage, res: ServerResponse) => void | Promise<void>;

export interface ListenOptions {
  /** 127.0.0.1 unless given. */
  host?: string;
  /** 0 (any free port) unless given. */
  port?: number;
  /** Answers a request whose handler threw; by default a text/plain 500 `fake fault: <message>`. */
  onFault?: (res: ServerResponse, error: unknown) => void;
}

export interface LoopbackServer {
  server: Server;
  /** `http://<host>:<port>`, an IPv6 host in brackets. */
  url: string;
  port: number;
  /** Stops listening and drops the connections still open. */
  close(): Promise<void>;
}

/** Starts `handle` on `host` (127.0.0.1) and `port` (0 = any free port). */
export async function listen(handle: Handler, opts: ListenOptions = {}): Promise<LoopbackServer> {
  const onFault = opts.onFault ?? answerFault;
  const run = async (req: IncomingMessage, res: ServerResponse): Promise<void> => handle(req, res);
  // A fault in the fake itself answers 500 (and shows in the test that sees it), never crashes the run.
  const server = createServer((req, res) => run(req, res).catch((error: unknown) => onFault(res, error)));
  const host = opts.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    server,
    url: `http://${host.includes(':') ? `[${host}]` : host}:${port}`,
    port,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

function answerFault(res: ServerResponse, error: unknown): void {
  if (!res.headersSent) res.writeHead(500, { 'content-type': 'text/plain' });
  res.end(`fake fault: ${(error as Error).message}`);
}

/** The whole body; with `maxBytes`, null when it is larger (the rest is drained, not buffered). */
export function readBody(req: IncomingMessage): Promise<Buffer>;
export function readBody(req: IncomingMessage, maxBytes: number): Promise<Buffer | null>;
export function readBody(req: IncomingMessage, maxBytes = Infinity): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= maxBytes) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > maxBytes ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/** The request's path, without its query. */
export function pathOf(req: IncomingMessage): string {
  return (req.url ?? '/').split('?')[0] ?? '/';
}

/** A header's value, or null when it is absent or empty. */
export function header(req: IncomingMessage, name: string): string | null {
  const value = req.headers[name];
  return typeof value === 'string' && value !== '' ? value : null;
}

/** A JSON object, or null when `raw` is not JSON or not an object. */
export function parseJsonObject(raw: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(raw);
    return value !== null && typeof value === 'object' && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

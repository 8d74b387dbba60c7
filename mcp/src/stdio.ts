/**
 * The MCP server over stdio (`gluon mcp`): protocol on stdout and nothing else, until stdin ends or the
 * process is asked to stop.
 */
import { StdioServerTransport } from '@modelcontextprotocol/sdk/server/stdio.js';
import type { Transport } from '@modelcontextprotocol/sdk/shared/transport.js';
import { createGluonMcpServer, type GluonMcpOptions } from './server.js';

export interface StdioOptions extends GluonMcpOptions {
  stdin: NodeJS.ReadableStream;
  stdout: NodeJS.WritableStream;
  /** Diagnostics (never stdout, which carries the protocol). */
  log: (line: string) => void;
  /** Ends the server early (SIGINT, SIGTERM), without waiting for calls in flight. */
  signal?: AbortSignal;
}

/**
 * Serves the Gluon tools on the given streams; resolves after closing the server, once the client has
 * gone (stdin ended) and every request it sent has its answer, or at once when `signal` aborts.
 */
export async function serveStdio(opts: StdioOptions): Promise<void> {
  const server = createGluonMcpServer(opts);
  const transport = new StdioServerTransport(
    opts.stdin as ConstructorParameters<typeof StdioServerTransport>[0],
    opts.stdout as ConstructorParameters<typeof StdioServerTransport>[1],
  );
  transport.onerror = (error) => opts.log(`protocol error: ${error.message}`);
  // Before connecting: the client may write its first request the moment stdin is read.
  const inFlight = trackRequests(transport);
  await server.connect(transport);
  await new Promise<void>((resolve) => {
    // The SDK's transport does not watch for the end of stdin: a client that goes away closes it.
    const drain = () => inFlight.whenIdle(resolve);
    opts.stdin.once('end', drain);
    opts.stdin.once('close', drain);
    if (opts.signal?.aborted) resolve();
    opts.signal?.addEventListener('abort', () => resolve(), { once: true });
  });
  await server.close();
}

/**
 * Tracks the requests received on `transport` and not yet settled. Installed before the server connects,
 * which keeps this `onmessage` and calls it ahead of its own.
 * Rules: a request settles when its answer is sent, or when the client cancels it (the SDK then sends
 * no answer); `whenIdle` calls back once none is left.
 */
function trackRequests(transport: Transport): { whenIdle(wake: () => void): void } {
  const open = new Set<string | number>();
  let waiters: (() => void)[] = [];
  const settle = (id: unknown) => {
    if (!open.delete(id as string | number) || open.size > 0) return;
    for (const wake of waiters) wake();
    waiters = [];
  };
  transport.onmessage = (message) => {
    if ('method' in message && 'id' in message) open.add(message.id);
    else if ('method' in message && message.method === 'notifications/cancelled')
      settle(message.params?.requestId);
  };
  const send = transport.send.bind(transport);
  transport.send = async (message, options) => {
    await send(message, options);
    if (('result' in message || 'error' in message) && 'id' in message) settle(message.id);
  };
  return {
    whenIdle: (wake) => {
      if (open.size === 0) wake();
      else waiters.push(wake);
    },
  };
}

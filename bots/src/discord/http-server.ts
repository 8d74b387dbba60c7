/**
 * A listener of its own for the interactions endpoint, used by `gluon bot discord` (inside `gluon serve`
 * the server hosts the same handler). It hands the raw body to the handler untouched: the signature is
 * checked on those exact bytes.
 */
import { createServer, type IncomingMessage } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { InteractionHandler } from './interactions.js';

/** The path Discord is configured to post to (the same as the server's route). */
export const INTERACTIONS_PATH = '/integrations/discord/interactions';
/** Interactions are small; anything bigger is not one. */
const MAX_BODY_BYTES = 256 * 1024;

export interface InteractionsServer {
  url: string;
  close(): Promise<void>;
}

/** Listens on `host:port` (port 0 = any free port). */
export async function startInteractionsServer(
  handle: InteractionHandler,
  host: string,
  port: number,
): Promise<InteractionsServer> {
  const server = createServer((req, res) => {
    const send = (status: number, body: unknown) =>
      res.writeHead(status, { 'content-type': 'application/json; charset=utf-8' }).end(JSON.stringify(body));
    if (req.method !== 'POST' || (req.url ?? '').split('?')[0] !== INTERACTIONS_PATH) {
      send(404, { error: { code: 'not_found', message: 'not found' } });
      return;
    }
    readBody(req).then(
      async (rawBody) => {
        if (rawBody === null)
          return send(413, { error: { code: 'too_large', message: 'the body is too large' } });
        const answer = await handle({ rawBody, headers: req.headers });
        send(answer.status, answer.body);
      },
      () => send(400, { error: { code: 'bad_request', message: 'could not read the body' } }),
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  const address = server.address() as AddressInfo;
  return {
    url: `http://${host.includes(':') ? `[${host}]` : host}:${address.port}${INTERACTIONS_PATH}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function readBody(req: IncomingMessage): Promise<Buffer | null> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk);
    });
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? null : Buffer.concat(chunks)));
    req.on('error', reject);
  });
}

/**
 * The one WebSocket endpoint (/api/ws). A client subscribes to the board (snapshot, then every task
 * change) and to tasks with the last `seq` it saw (see ws-client.ts); the hub hands every published event
 * and task change to every connected client. A plain HTTP request to the address is a 426.
 */
import type { FastifyInstance } from 'fastify';
import type { WebSocket } from 'ws';
import { WS_PROTOCOL, type TaskDto } from '../../../shared/api.js';
import type { GluonEvent } from '../../../shared/events.js';
import type { Services } from '../services/index.js';
import { needs } from './access.js';
import { serveClient, type HubClient } from './ws-client.js';

/** Registers the endpoint and feeds every connected client. */
export function registerWsHub(
  app: FastifyInstance,
  s: Services,
  log: (msg: string, err?: unknown) => void,
): void {
  const clients = new Set<HubClient>();
  // What is published in one turn reaches the clients at its end, in order (events and task changes
  // alike), and is written to each socket there: an emit of a thousand events returns once they are
  // durable, not once every client has taken each. A client that finishes reading a backlog drains the
  // queue first, so that nothing published before its `subscribed` comes after it.
  let queue: Array<{ event: GluonEvent } | { task: TaskDto }> = [];
  const drain = () => {
    const due = queue;
    queue = [];
    for (const item of due)
      if ('event' in item) clients.forEach((c) => c.onEvent(item.event));
      else clients.forEach((c) => c.onTask(item.task));
    clients.forEach((c) => c.flush());
  };
  const enqueue = (item: { event: GluonEvent } | { task: TaskDto }) => {
    if (clients.size > 0 && queue.push(item) === 1) setImmediate(drain);
  };
  s.events.subscribe((event) => enqueue({ event }), { remote: true });
  s.views.onChange((task) => enqueue({ task }));

  app.route({
    method: 'GET',
    url: '/api/ws',
    ...needs('viewer'),
    handler: async (_req, reply) =>
      reply
        .code(426)
        .header('upgrade', 'websocket')
        .send({ error: { code: 'upgrade_required', message: 'this address speaks WebSocket only' } }),
    wsHandler: (socket: WebSocket, req) => {
      const client = serveClient(socket, s, log, req.actor ?? undefined, drain);
      clients.add(client);
      s.metrics.wsClients(1);
      socket.on('close', () => {
        clients.delete(client);
        s.metrics.wsClients(-1);
      });
    },
  });
}

/** Picks our subprotocol when the client offers it (browsers also offer the token one; never echo that). */
export function handleProtocols(protocols: Set<string>): string | false {
  return protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false;
}

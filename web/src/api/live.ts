/**
 * The browser's one WebSocket to the server: the shared live protocol (shared/live.ts) over the
 * browser's `WebSocket`. The token travels as a subprotocol (`gluon-token.<token>`), never in the URL.
 */
import { csrfOf } from './session.js';
import { WS_PROTOCOL, WS_TOKEN_PROTOCOL_PREFIX } from '../../../shared/api.js';
import { LiveConnection, type LiveOptions } from '../../../shared/live.js';
import { toWsUrl, type SocketLike } from '../../../shared/live-socket.js';

export { LiveConnection };
export type { BoardMessage, ConnectionState, TaskListener } from '../../../shared/live.js';

/** Opens a socket with the given subprotocols (the browser's `WebSocket`; tests pass a fake). */
export type SocketFactory = (url: string, protocols: string[]) => SocketLike;

const browserSocket: SocketFactory = (url, protocols) =>
  new WebSocket(url, protocols) as unknown as SocketLike;

/** The dashboard's live connection to `origin` with `token` (not started). */
export function createLiveConnection(
  origin: string,
  token: string,
  options: Partial<Omit<LiveOptions, 'url' | 'createSocket'>> & { createSocket?: SocketFactory } = {},
): LiveConnection {
  const { createSocket = browserSocket, ...rest } = options;
  // A session's cookie goes with the upgrade by itself; a token travels as a subprotocol.
  const protocols =
    csrfOf(token) === null ? [WS_PROTOCOL, `${WS_TOKEN_PROTOCOL_PREFIX}${token}`] : [WS_PROTOCOL];
  return new LiveConnection({
    ...rest,
    url: toWsUrl(origin),
    createSocket: (url) => createSocket(url, protocols),
  });
}

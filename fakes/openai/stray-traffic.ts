/**
 * A trap for stray traffic: a loopback proxy that refuses and records every connection it is asked for.
 * Given to a process as HTTP(S)_PROXY/ALL_PROXY with NO_PROXY for loopback, every call the process makes
 * to any host other than the loopback fakes lands here, so a test can assert there was none.
 */
import { listen } from '../shared/http.js';

export interface StrayTrafficTrap {
  /** `host:port` (CONNECT) or the URL (plain HTTP) of every attempt, in order. */
  hits: string[];
  /** The proxy variables that route everything but loopback through the trap. */
  env: Record<string, string>;
  close(): Promise<void>;
}

export async function startStrayTrafficTrap(): Promise<StrayTrafficTrap> {
  const hits: string[] = [];
  const { server, url, close } = await listen((req, res) => {
    hits.push(req.url ?? '');
    res.writeHead(502);
    res.end();
  });
  server.on('connect', (req, socket) => {
    hits.push(req.url ?? '');
    socket.end('HTTP/1.1 502 Bad Gateway\r\n\r\n');
  });
  const noProxy = '127.0.0.1,localhost,::1';
  return {
    hits,
    env: {
      HTTPS_PROXY: url,
      HTTP_PROXY: url,
      ALL_PROXY: url,
      https_proxy: url,
      http_proxy: url,
      all_proxy: url,
      NO_PROXY: noProxy,
      no_proxy: noProxy,
    },
    close,
  };
}

/**
 * Prometheus metrics: `GET /metrics` with the API token (Prometheus sends it as a bearer credential), and,
 * when configured, the same page on a loopback port of its own without a token (`metrics.port`).
 */
import http from 'node:http';
import type { FastifyInstance } from 'fastify';
import type { Metrics } from '../../services/observability/metrics.js';
import { needs } from '../access.js';
import { noQuery, parse } from '../validate.js';

export function registerMetricsRoute(app: FastifyInstance, metrics: Metrics): void {
  app.get('/metrics', needs('viewer'), async (req, reply) => {
    parse(noQuery, req.query, 'query');
    const { contentType, body } = await metrics.scrape();
    return reply.header('content-type', contentType).send(body);
  });
}

/**
 * Serves `/metrics` on 127.0.0.1:`port` only, for a Prometheus on the same machine: nothing else is
 * answered there, and nothing beyond loopback can connect. Resolves with the port it listens on.
 */
export async function listenForMetrics(
  metrics: Metrics,
  port: number,
  log: (msg: string, err?: unknown) => void,
): Promise<{ port: number; close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    if (req.method !== 'GET' || (req.url ?? '').split('?')[0] !== '/metrics') {
      res.writeHead(404, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { code: 'not_found', message: 'only /metrics is served here' } }));
      return;
    }
    metrics.scrape().then(
      ({ contentType, body }) => {
        res.writeHead(200, { 'content-type': contentType });
        res.end(body);
      },
      (err) => {
        log('collecting metrics failed', err);
        res.writeHead(500, { 'content-type': 'application/json' });
        res.end(JSON.stringify({ error: { code: 'internal', message: 'collecting metrics failed' } }));
      },
    );
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  return {
    port: typeof address === 'object' && address ? address.port : port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

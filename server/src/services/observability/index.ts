/**
 * What Gluon tells operators about itself: Prometheus metrics (always) and OpenTelemetry traces of each
 * task's life (when an OTLP endpoint is configured).
 */
import type { Config } from '../../config.js';
import { createMetricsRepo } from '../../storage/metrics-repo.js';
import type { Storage } from '../../storage/index.js';
import type { EventLog } from '../event-log.js';
import { createMetrics } from './metrics.js';
import { createTaskTraces } from './task-traces.js';
import { openTracing, tracesUrl } from './tracing.js';

export interface ObservabilityDeps {
  config: Config;
  storage: Storage;
  events: EventLog;
  env: NodeJS.ProcessEnv;
  /** A worker of a fleet leaves tracing to the servers, which hear every event. */
  traceEvents: boolean;
  log: (msg: string, err?: unknown) => void;
}

export function createObservability(deps: ObservabilityDeps) {
  const metrics = createMetrics({ repo: createMetricsRepo(deps.storage.db), events: deps.events });
  const url = deps.traceEvents ? tracesUrl(deps.config.telemetry.otlpEndpoint, deps.env) : null;
  const tracing = url ? openTracing(url, deps.config.telemetry.serviceName) : null;
  const traces = tracing ? createTaskTraces(tracing.tracer) : null;
  const unsubscribe = traces ? deps.events.subscribe(traces.onEvent, { remote: true }) : () => {};
  return {
    metrics,
    /** Where traces go, or null. */
    tracesUrl: url,
    /** Sends the spans buffered so far. */
    flushTraces: async () => tracing?.flush(),
    async close(): Promise<void> {
      unsubscribe();
      traces?.endAll();
      await tracing?.shutdown().catch((err) => deps.log('exporting the last traces failed', err));
    },
  };
}

export type Observability = ReturnType<typeof createObservability>;

/**
 * What Gluon tells operators about itself: Prometheus metrics (always) and OpenTelemetry traces of each
 * task's life (when an OTLP endpoint is configured).
 */
import type { Config } from '../../config.js';
import { createMetricsRepo } from '../../storage/metrics-repo.js';
import type { Storage } from '../../storage/index.js';
import type { EventLog } from '../event-log.js';
import type { GluonEvent } from '../../../../shared/events.js';
import { createMetrics } from './metrics.js';
import { tracesUrl } from './tracing.js';

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
  const tracing = url ? startTracing(url, deps) : null;
  return {
    metrics,
    /** Where traces go, or null. */
    tracesUrl: url,
    /** Sends the spans buffered so far. */
    flushTraces: async () => (await tracing?.ready)?.flush(),
    async close(): Promise<void> {
      await tracing?.close().catch((err) => deps.log('exporting the last traces failed', err));
    },
  };
}

/**
 * Task traces to `url`. The OpenTelemetry SDK loads in the background (it is no part of a cold start);
 * events heard meanwhile wait for it in order, so a trace misses nothing.
 */
function startTracing(url: string, deps: ObservabilityDeps) {
  const waiting: GluonEvent[] = [];
  let onEvent: ((e: GluonEvent) => void) | null = null;
  const unsubscribe = deps.events.subscribe((e) => (onEvent ? onEvent(e) : waiting.push(e)), {
    remote: true,
  });
  const ready = Promise.all([import('./open-tracing.js'), import('./task-traces.js')]).then(
    ([{ openTracing }, { createTaskTraces }]) => {
      const tracing = openTracing(url, deps.config.telemetry.serviceName);
      const traces = createTaskTraces(tracing.tracer);
      for (const e of waiting.splice(0)) traces.onEvent(e);
      onEvent = traces.onEvent;
      return { ...tracing, endAll: traces.endAll };
    },
  );
  ready.catch((err: unknown) => deps.log('loading OpenTelemetry failed', err));
  return {
    ready,
    async close(): Promise<void> {
      unsubscribe();
      const tracing = await ready;
      tracing.endAll();
      await tracing.shutdown();
    },
  };
}

export type Observability = ReturnType<typeof createObservability>;

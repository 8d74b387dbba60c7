/**
 * The OpenTelemetry tracer: spans exported over OTLP/HTTP (JSON) in batches when an endpoint is
 * configured (`telemetry.otlpEndpoint`, else `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as the full traces URL,
 * else `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`); none otherwise.
 */
import type { Tracer } from '@opentelemetry/api';
import { OTLPTraceExporter } from '@opentelemetry/exporter-trace-otlp-http';
import { resourceFromAttributes } from '@opentelemetry/resources';
import { BasicTracerProvider, BatchSpanProcessor } from '@opentelemetry/sdk-trace-base';
import { VERSION } from '../../version.js';

export interface Tracing {
  tracer: Tracer;
  /** Sends what is buffered now. */
  flush(): Promise<void>;
  shutdown(): Promise<void>;
}

/** Where spans go, or null when tracing is off. */
export function tracesUrl(configured: string | undefined, env: NodeJS.ProcessEnv): string | null {
  if (configured) return withTracesPath(configured);
  if (env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT) return env.OTEL_EXPORTER_OTLP_TRACES_ENDPOINT;
  if (env.OTEL_EXPORTER_OTLP_ENDPOINT) return withTracesPath(env.OTEL_EXPORTER_OTLP_ENDPOINT);
  return null;
}

/** A bare collector address gets OTLP's traces path; a URL with a path is taken as it is. */
function withTracesPath(endpoint: string): string {
  const u = new URL(endpoint);
  if (u.pathname === '/' || u.pathname === '') u.pathname = '/v1/traces';
  return u.toString();
}

export function openTracing(url: string, serviceName: string, headers: Record<string, string> = {}): Tracing {
  const exporter = new OTLPTraceExporter({ url, headers });
  const provider = new BasicTracerProvider({
    resource: resourceFromAttributes({ 'service.name': serviceName, 'service.version': VERSION }),
    spanProcessors: [new BatchSpanProcessor(exporter, { scheduledDelayMillis: 1000 })],
  });
  return {
    tracer: provider.getTracer('gluon', VERSION),
    flush: () => provider.forceFlush(),
    shutdown: () => provider.shutdown(),
  };
}

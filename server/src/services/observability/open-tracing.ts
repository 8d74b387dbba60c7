/**
 * The OpenTelemetry SDK's side of tracing (loaded only when an endpoint is configured, see tracing.ts):
 * a tracer whose spans go over OTLP/HTTP (JSON) in batches.
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

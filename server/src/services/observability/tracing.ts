/**
 * The OpenTelemetry tracer: spans exported over OTLP/HTTP (JSON) in batches when an endpoint is
 * configured (`telemetry.otlpEndpoint`, else `OTEL_EXPORTER_OTLP_TRACES_ENDPOINT` as the full traces URL,
 * else `OTEL_EXPORTER_OTLP_ENDPOINT` + `/v1/traces`); none otherwise. The SDK itself (open-tracing.ts)
 * loads only when there is an endpoint.
 */

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

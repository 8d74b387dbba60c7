/** The observability part of config.json: Prometheus metrics and OpenTelemetry traces. */
import { z } from 'zod';

/** Prometheus: `/metrics` with the token, and optionally on a loopback port of its own without one. */
export const metricsSchema = z.object({ port: z.number().int().min(0).max(65535).optional() }).prefault({});

/** OpenTelemetry traces over OTLP/HTTP (else the OTEL_EXPORTER_OTLP_* variables; none: no traces). */
export const telemetrySchema = z
  .object({
    otlpEndpoint: z.string().url().optional(),
    serviceName: z.string().min(1).default('gluon'),
  })
  .prefault({});

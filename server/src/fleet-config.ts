/** The `fleet` part of config.json: several machines on one Postgres database, their heartbeats and caps. */
import { z } from 'zod';

export const fleetSchema = z
  .object({
    /** How often a worker says it is alive. */
    heartbeatMs: z.number().int().min(100).default(5000),
    /** A worker silent this long is lost; its tasks continue elsewhere. */
    lostAfterMs: z.number().int().min(1000).default(30_000),
    /** A worker that cannot reach the database this long stops its agents (others will continue them). */
    fenceAfterMs: z.number().int().min(500).default(20_000),
    /** Tasks running at once across every worker; none: only each worker's capacity. */
    maxRunning: z.number().int().min(1).optional(),
    /** How often each process looks for lost workers and queued tasks without a job. */
    superviseMs: z.number().int().min(100).default(5000),
  })
  .prefault({});

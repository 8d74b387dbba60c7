/**
 * /api/workers: the workers of a fleet on Postgres (an empty list on a single machine).
 */
import type { FastifyInstance } from 'fastify';
import type { WorkerDto } from '../../../../shared/fleet-dto.js';
import type { Services } from '../../services/index.js';
import { needs } from '../access.js';
import { noQuery, parse } from '../validate.js';

export function registerWorkerRoutes(app: FastifyInstance, s: Services): void {
  app.get('/api/workers', needs('viewer'), async (req): Promise<WorkerDto[]> => {
    parse(noQuery, req.query, 'query');
    return s.workers.list();
  });
}

/**
 * /api/costs: today / week / month and a breakdown, of the workspaces the caller holds a role in.
 */
import type { FastifyInstance } from 'fastify';
import { costQuery } from '../../../../shared/api.js';
import type { Services } from '../../services/index.js';
import { parse } from '../validate.js';
import { needs } from '../access.js';
import { visibleTo } from '../actor.js';

export function registerCostRoutes(app: FastifyInstance, s: Services): void {
  app.get('/api/costs', needs('viewer'), async (req) => {
    const q = parse(costQuery, req.query, 'query');
    return s.costs.report(q.by, visibleTo(req));
  });
}

/**
 * /api/budgets and /api/policies: what admins set (budgets per project, workspace or user; policies per
 * workspace or project). Each caller sees those of its workspaces (scopes.ts); setting or removing one needs
 * the admin role where it applies.
 */
import type { FastifyInstance } from 'fastify';
import { z } from 'zod';
import { setBudgetBody, setPolicyBody } from '../../../../shared/api.js';
import type { Services } from '../../services/index.js';
import { needs } from '../access.js';
import { requireAdminOfScope, visibleScopes } from '../scopes.js';
import { noQuery, parse } from '../validate.js';

const idParams = z.strictObject({ id: z.string().regex(/^[a-z0-9]{4,32}$/, 'a budget id') });
const policyParams = z.strictObject({
  scope: z.enum(['workspace', 'project']),
  name: z.string().min(1).max(200),
});

export function registerGovernanceRoutes(app: FastifyInstance, s: Services): void {
  const { budgets } = s.governance;
  app.get('/api/budgets', needs('viewer'), async (req) => {
    parse(noQuery, req.query, 'query');
    return visibleScopes(req, s, await budgets.list());
  });
  app.put('/api/budgets', needs('admin'), async (req) => {
    const body = parse(setBudgetBody, req.body, 'body');
    await requireAdminOfScope(req, s, body.scope, body.name);
    return budgets.set(body);
  });
  app.delete('/api/budgets/:id', needs('admin'), async (req, reply) => {
    const { id } = parse(idParams, req.params, 'path');
    const budget = (await budgets.list()).find((b) => b.id === id);
    if (budget) await requireAdminOfScope(req, s, budget.scope, budget.name);
    await budgets.remove(id);
    return reply.code(204).send();
  });
  const { policies } = s.governance;
  app.get('/api/policies', needs('viewer'), async (req) => {
    parse(noQuery, req.query, 'query');
    return visibleScopes(req, s, await policies.list());
  });
  app.put('/api/policies', needs('admin'), async (req) => {
    const body = parse(setPolicyBody, req.body, 'body');
    await requireAdminOfScope(req, s, body.scope, body.name);
    return policies.set(body);
  });
  app.delete('/api/policies/:scope/:name', needs('admin'), async (req, reply) => {
    const p = parse(policyParams, req.params, 'path');
    await requireAdminOfScope(req, s, p.scope, p.name);
    await policies.remove(p.scope, p.name);
    return reply.code(204).send();
  });
}

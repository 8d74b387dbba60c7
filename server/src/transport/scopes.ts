/**
 * Workspace scoping for routes that list or change things of several workspaces at once (projects,
 * workspaces, costs, schedules, budgets, policies): a caller sees only what belongs to the workspaces it
 * holds a role in, and changes a budget or a policy only as an admin where it applies. A user's budget,
 * and anything not tied to one workspace, needs an admin of every workspace.
 */
import type { FastifyRequest } from 'fastify';
import { holdsEverywhere } from '../domain/actor.js';
import type { Services } from '../services/index.js';
import { actorOf, canView, requireEverywhere, requireRoleIn } from './actor.js';

export type Scope = 'project' | 'workspace' | 'user';

/** The workspace a budget's or policy's scope lies in; null for a user, undefined for an unknown project. */
async function workspaceOfScope(s: Services, scope: Scope, name: string): Promise<string | null | undefined> {
  if (scope === 'user') return null;
  if (scope === 'workspace') return name;
  return (await s.projects.find(name))?.workspace;
}

/**
 * Refuses (403) unless the caller is an admin where a budget or policy of `scope` `name` applies. An unknown
 * project is left to the service (its 404).
 */
export async function requireAdminOfScope(
  req: FastifyRequest,
  s: Services,
  scope: Scope,
  name: string,
): Promise<void> {
  const workspace = await workspaceOfScope(s, scope, name);
  if (workspace === null) requireEverywhere(req, 'admin');
  else if (workspace !== undefined) requireRoleIn(req, workspace, 'admin');
}

/**
 * Keeps the budgets or policies the caller may see: those of the workspaces it holds a role in, its own
 * user budgets, and every user's budgets for a viewer of every workspace.
 */
export async function visibleScopes<T extends { scope: Scope; name: string }>(
  req: FastifyRequest,
  s: Services,
  entries: T[],
): Promise<T[]> {
  const me = actorOf(req);
  const kept: T[] = [];
  for (const e of entries) {
    const workspace = await workspaceOfScope(s, e.scope, e.name);
    if (workspace === undefined) continue;
    const sees =
      workspace === null ? e.name === me.user || holdsEverywhere(me, 'viewer') : canView(req, workspace);
    if (sees) kept.push(e);
  }
  return kept;
}

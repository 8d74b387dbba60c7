/** What a budget or policy is set on, named by the admin: a project or a workspace, by its name. */
import { notFound } from '../../errors.js';
import type { Storage } from '../../storage/index.js';

/** The id and name of the named project or workspace; not found (404) when there is none. */
export async function findScopeTarget(
  storage: Storage,
  scope: 'project' | 'workspace',
  name: string,
): Promise<{ id: string; name: string }> {
  if (scope === 'project') {
    const p = await storage.projects.findByName(name);
    if (!p) throw notFound(`project ${name}`);
    return { id: p.id, name: p.name };
  }
  const w = await storage.projects.findWorkspaceByName(name);
  if (!w) throw notFound(`workspace ${name}`);
  return { id: w.id, name: w.name };
}

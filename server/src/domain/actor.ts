/**
 * Who acts: a user (or the installation's own token) with a role per workspace, through a surface. Pure:
 * the transport builds an actor from a request, the services record it, the audit log keeps it.
 */

/** The roles, weakest first: a viewer reads, an operator works on tasks, an admin also manages people. */
export const ROLES = ['viewer', 'operator', 'admin'] as const;
export type Role = (typeof ROLES)[number];

/** Where an action came from. */
export const SURFACES = ['web', 'cli', 'telegram', 'discord', 'api'] as const;
export type Surface = (typeof SURFACES)[number];

/** The workspace key of a role that holds in every workspace. */
export const ALL_WORKSPACES = '*';

export interface Actor {
  /** The user's name; `owner` for the installation's token. */
  user: string;
  /** The user's id; null for the installation's token. */
  userId: string | null;
  /** Role per workspace name; `*` covers every workspace. */
  roles: Readonly<Record<string, Role>>;
  surface: Surface;
  /** How the caller proved who it is. */
  via: 'install-token' | 'token' | 'session';
}

/** Whether `role` is at least `min`. */
export function atLeast(role: Role | null, min: Role): boolean {
  return role !== null && ROLES.indexOf(role) >= ROLES.indexOf(min);
}

/**
 * The actor's role in `workspace`.
 * Rules: the stronger of its role there and its role in every workspace (`*`); null when it has neither.
 */
export function roleIn(actor: Pick<Actor, 'roles'>, workspace: string): Role | null {
  const here = actor.roles[workspace] ?? null;
  const everywhere = actor.roles[ALL_WORKSPACES] ?? null;
  if (here === null) return everywhere;
  if (everywhere === null) return here;
  return atLeast(here, everywhere) ? here : everywhere;
}

/** The actor's strongest role in any workspace (what the gate checks before a route runs). */
export function strongestRole(actor: Pick<Actor, 'roles'>): Role | null {
  let best: Role | null = null;
  for (const role of Object.values(actor.roles)) if (!atLeast(best, role)) best = role;
  return best;
}

/** The installation's own token: admin everywhere (single-user mode, and after users exist). */
export function installActor(surface: Surface): Actor {
  return { user: 'owner', userId: null, roles: { [ALL_WORKSPACES]: 'admin' }, surface, via: 'install-token' };
}

/**
 * The workspaces whose things the actor may see, or null for every workspace.
 * Rules: a role in every workspace (`*`) sees all; otherwise the workspaces it holds any role in.
 */
export function visibleWorkspaces(actor: Pick<Actor, 'roles'>): string[] | null {
  if (actor.roles[ALL_WORKSPACES] !== undefined) return null;
  return Object.keys(actor.roles).sort();
}

/** Whether the actor holds at least `min` in every workspace: what installation-wide changes need. */
export function holdsEverywhere(actor: Pick<Actor, 'roles'>, min: Role): boolean {
  return atLeast(actor.roles[ALL_WORKSPACES] ?? null, min);
}

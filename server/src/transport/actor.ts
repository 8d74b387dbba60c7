/**
 * The caller of a route, for handlers: who it is (the gate identified it), and whether its role holds in
 * the workspace a route acts on. The gate checked the caller's strongest role; a route on one task or
 * project checks the role in that task's or project's workspace here.
 */
import type { FastifyRequest } from 'fastify';
import {
  atLeast,
  holdsEverywhere,
  roleIn,
  visibleWorkspaces,
  type Actor,
  type Role,
} from '../domain/actor.js';
import { AppError, unauthorized } from '../errors.js';

/** The caller (the gate let it through, so it is known on every route that needs a role). */
export function actorOf(req: FastifyRequest): Actor {
  if (!req.actor) throw unauthorized();
  return req.actor;
}

/** Refuses (403, audited) unless the caller's role in `workspace` is at least `min`. */
export function requireRoleIn(req: FastifyRequest, workspace: string, min: Role): Actor {
  const actor = actorOf(req);
  if (!atLeast(roleIn(actor, workspace), min))
    throw new AppError(403, 'forbidden_role', `this needs the ${min} role in workspace '${workspace}'`);
  return actor;
}

/** Whether the caller may see what belongs to `workspace`. */
export function canView(req: FastifyRequest, workspace: string): boolean {
  return req.actor !== null && atLeast(roleIn(req.actor, workspace), 'viewer');
}

/**
 * Refuses (403, audited) unless the caller holds `min` in every workspace: people, links, other users'
 * passwords and tokens, the audit log and installation-wide settings are not any one workspace's.
 */
export function requireEverywhere(req: FastifyRequest, min: Role): Actor {
  const actor = actorOf(req);
  if (!holdsEverywhere(actor, min))
    throw new AppError(403, 'forbidden_role', `this needs the ${min} role in every workspace`);
  return actor;
}

/** The workspaces the caller may see, or null for all of them. */
export function visibleTo(req: FastifyRequest): string[] | null {
  return visibleWorkspaces(actorOf(req));
}

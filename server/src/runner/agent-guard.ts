/**
 * What the approval policy must know about Gluon itself while an agent runs, in real paths: the fence
 * around the data directory (its token, database, config, other tasks' worktrees, attachments) with this
 * run's own places open, and the marks of Gluon's API and data in a shell command.
 */
import path from 'node:path';
import type { ApprovalContext } from '../domain/approval-policy.js';
import type { FenceRule } from '../domain/tool-targets.js';
import { agentHomeFence, agentHomeOf } from './agent-home.js';
import { HOME_SECRETS } from './sandbox.js';
import { realDir, realToolPaths } from './tool-paths.js';

export interface AgentGuard {
  dataDir: string;
  /** The server's environment (where the user's Claude login lives). */
  env: Record<string, string | undefined>;
  /** The port Gluon's API listens on, once known. */
  port: () => number | null;
  /** Whether the agents run in the OS sandbox: then file tools may not write where its commands cannot. */
  sandboxed?: () => boolean;
}

/** The credentials in the server user's home and in the agent's: closed to every tool, by both spellings. */
function secretRules(guard: AgentGuard): FenceRule[] {
  const homes = [agentHomeOf(guard.dataDir), ...(guard.env.HOME ? [guard.env.HOME] : [])];
  return homes.flatMap((home) =>
    HOME_SECRETS.flatMap((s) => {
      const p = path.join(home, s);
      return [...new Set([path.resolve(p), realDir(p)])].map((at) => ({
        path: at,
        open: false,
        label: `${path.join(home, s)} (credentials)`,
      }));
    }),
  );
}

/**
 * The approval context of one tool call made in `cwd`.
 * Rules: the data directory is closed (by its path as configured and as resolved); the run's working
 * directory is open (a task worktree lives in the data directory); the agent's home is open except its
 * login files; the credentials of both homes (`~/.ssh`, `~/.aws`, …) are closed; every path the tool
 * names is judged where it really lands (symlinks followed); in the sandbox, writes may land only in the
 * worktree and the agent's home.
 */
export function approvalContext(
  guard: AgentGuard,
  cwd: string,
  tool: { name: string; input: Record<string, unknown> },
): ApprovalContext {
  const fixed = guardPlaces(guard);
  const realCwd = realDir(cwd);
  const fence: FenceRule[] = [
    ...fixed.dataDirs.map((p) => ({ path: p, open: false })),
    { path: realCwd, open: true },
    ...fixed.homeRules,
    ...fixed.secretRules,
  ];
  return {
    worktreePath: realCwd,
    realPaths: realToolPaths(tool.name, tool.input, cwd, agentHomeOf(guard.dataDir)),
    fence,
    gluon: { port: guard.port(), paths: fixed.dataDirs, open: [...new Set([path.resolve(cwd), realCwd])] },
    ...(guard.sandboxed?.() && { sandbox: { writable: [fixed.realAgentHome] } }),
  };
}

/** The guard's own places in real paths, with when they were resolved. */
const resolved = new WeakMap<AgentGuard, { at: number; places: ReturnType<typeof resolvePlaces> }>();
/**
 * How long resolved places are reused: they are Gluon's and the user's (data directory, homes,
 * credentials), resolved with some twenty `realpath` calls that every tool call would repeat.
 * A credential the user moves behind a new symlink is fenced by its real path within this time; the
 * tool's own paths are always resolved afresh.
 */
const PLACES_TTL_MS = 5000;

function guardPlaces(guard: AgentGuard) {
  const known = resolved.get(guard);
  if (known && Date.now() - known.at < PLACES_TTL_MS) return known.places;
  const places = resolvePlaces(guard);
  resolved.set(guard, { at: Date.now(), places });
  return places;
}

function resolvePlaces(guard: AgentGuard) {
  return {
    dataDirs: [...new Set([path.resolve(guard.dataDir), realDir(guard.dataDir)])],
    homeRules: agentHomeFence(guard.dataDir, guard.env).flatMap((r) => [r, { ...r, path: realDir(r.path) }]),
    secretRules: secretRules(guard),
    realAgentHome: realDir(agentHomeOf(guard.dataDir)),
  };
}

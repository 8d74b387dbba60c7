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
  const dataDirs = [...new Set([path.resolve(guard.dataDir), realDir(guard.dataDir)])];
  const realCwd = realDir(cwd);
  const homeRules = agentHomeFence(guard.dataDir, guard.env).flatMap((r) => [
    r,
    { ...r, path: realDir(r.path) },
  ]);
  const fence: FenceRule[] = [
    ...dataDirs.map((p) => ({ path: p, open: false })),
    { path: realCwd, open: true },
    ...homeRules,
    ...secretRules(guard),
  ];
  return {
    worktreePath: realCwd,
    realPaths: realToolPaths(tool.name, tool.input, cwd, agentHomeOf(guard.dataDir)),
    fence,
    gluon: { port: guard.port(), paths: dataDirs, open: [...new Set([path.resolve(cwd), realCwd])] },
    ...(guard.sandboxed?.() && { sandbox: { writable: [realDir(agentHomeOf(guard.dataDir))] } }),
  };
}

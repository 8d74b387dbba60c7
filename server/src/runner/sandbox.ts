/**
 * Each Claude Code agent in an OS sandbox: Claude Code's own (bubblewrap and socat on Linux, Seatbelt on
 * macOS), which confines every Bash command the agent runs: it writes only in its worktree (with that
 * worktree's git metadata) and Claude Code's scratch directory, reads nothing of Gluon's data directory
 * nor the credentials in a home, and reaches only the Anthropic API and the hosts its project allows.
 * The file tools (Read, Write, Edit) are not in the sandbox: Gluon's approval policy holds them to the
 * same places (agent-guard.ts).
 */
import { execFile, execFileSync } from 'node:child_process';
import { accessSync, constants, readFileSync, realpathSync } from 'node:fs';
import path from 'node:path';
import type { SandboxSettings } from '@anthropic-ai/claude-agent-sdk';
import { ownGitDir } from './git-refs.js';

/** Whether the sandbox can start on this machine, and if not, why (said at start and on the dashboard). */
export interface SandboxStatus {
  available: boolean;
  reason: string | null;
}

/** Credentials in a home that no agent reads, whoever's home it is. */
export const HOME_SECRETS = ['.ssh', '.aws', '.config/gh', '.netrc', '.gnupg', '.docker/config.json'];

/** Where `name` is on `PATH`, as Claude Code looks for bwrap and socat; null when nowhere. */
function onPath(name: string, envPath: string | undefined): string | null {
  for (const dir of (envPath ?? '').split(path.delimiter)) {
    if (!dir) continue;
    const file = path.join(dir, name);
    try {
      accessSync(file, constants.X_OK);
      return file;
    } catch {
      // not here
    }
  }
  return null;
}

/**
 * Whether Claude Code's sandbox can start for agents run with this `PATH`.
 * Rules: Linux needs bwrap and socat on the agents' PATH and bwrap able to make a network namespace
 * (containers often forbid it); macOS has sandbox-exec; nothing else has a sandbox.
 */
export function probeSandbox(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): SandboxStatus {
  const plan = probePlan(env, platform);
  if (!('bwrap' in plan)) return plan;
  try {
    execFileSync(plan.bwrap, BWRAP_TRIAL, { stdio: ['ignore', 'ignore', 'pipe'], timeout: 10_000 });
    return { available: true, reason: null };
  } catch (err) {
    return bwrapRefused(err);
  }
}

/** probeSandbox without holding the event loop while bwrap tries (a server's start does other work then). */
export async function probeSandboxInBackground(
  env: NodeJS.ProcessEnv,
  platform: NodeJS.Platform = process.platform,
): Promise<SandboxStatus> {
  const plan = probePlan(env, platform);
  if (!('bwrap' in plan)) return plan;
  return new Promise((resolve) => {
    const child = execFile(plan.bwrap, BWRAP_TRIAL, { timeout: 10_000 }, (err, _out, stderr) =>
      resolve(err ? bwrapRefused(Object.assign(err, { stderr })) : { available: true, reason: null }),
    );
    child.stdin?.end();
  });
}

/** What a probe tries: bwrap making a network namespace over a read-only root. */
const BWRAP_TRIAL = ['--ro-bind', '/', '/', '--dev', '/dev', '--unshare-net', 'true'];

/** The answer where no trial is needed (no sandbox here, bwrap or socat missing), else the bwrap to try. */
function probePlan(env: NodeJS.ProcessEnv, platform: NodeJS.Platform): SandboxStatus | { bwrap: string } {
  if (platform === 'darwin')
    return onPath('sandbox-exec', '/usr/bin')
      ? { available: true, reason: null }
      : { available: false, reason: 'sandbox-exec is missing' };
  if (platform !== 'linux') return { available: false, reason: `there is no agent sandbox on ${platform}` };
  const bwrap = onPath('bwrap', env.PATH);
  if (!bwrap)
    return {
      available: false,
      reason: 'bubblewrap (bwrap) is not installed (Debian: apt install bubblewrap)',
    };
  if (!onPath('socat', env.PATH))
    return { available: false, reason: 'socat is not installed (Debian: apt install socat)' };
  return { bwrap };
}

function bwrapRefused(err: unknown): SandboxStatus {
  const stderr = String((err as { stderr?: Buffer | string }).stderr ?? '')
    .trim()
    .split('\n')[0];
  return { available: false, reason: `bubblewrap cannot start here: ${stderr || (err as Error).message}` };
}

/** What the sandbox of one run is made of. */
export interface SandboxPlaces {
  cwd: string;
  /** Gluon's data directory (closed but for the run's own places). */
  dataDir: string;
  /** The agent's HOME (open but for its login files). */
  agentHome: string;
  /** Files of the agent's home that stay closed (its login). */
  closedInHome: string[];
  /** The server user's HOME, whose credentials stay closed too. */
  userHome?: string;
  /** The Anthropic API the agent talks to (ANTHROPIC_BASE_URL), else Anthropic's. */
  apiBaseUrl?: string;
  /** Hosts the project's policy lets the agent's commands reach (`host` or `host:port`, `*.example.com`). */
  allowedHosts?: readonly string[];
}

/** A path and its real path (a sandbox binds real paths; a link in between must not open a way round). */
function bothSpellings(p: string): string[] {
  try {
    const real = realpathSync(p);
    return real === p ? [p] : [p, real];
  } catch {
    return [p];
  }
}

/**
 * The git metadata a worktree's own commits write: its private git directory and the shared objects,
 * refs and logs. Not the shared config nor hooks (Claude Code keeps those read-only besides).
 */
export function worktreeGitDirs(cwd: string): { read: string[]; write: string[] } {
  try {
    const own = ownGitDir(cwd);
    // A plain checkout (`.git` is a directory inside the worktree) or no git at all: nothing more.
    if (!own || own === path.join(cwd, '.git')) return { read: [], write: [] };
    const common = path.resolve(own, readFileSync(path.join(own, 'commondir'), 'utf8').trim());
    return { read: [common], write: [own, ...['objects', 'refs', 'logs'].map((d) => path.join(common, d))] };
  } catch {
    // No `commondir`: not a linked worktree after all.
    return { read: [], write: [] };
  }
}

/** The host (with its port when not the default) of the API the agent talks to. */
function apiHost(baseUrl: string | undefined): string {
  try {
    return new URL(baseUrl || 'https://api.anthropic.com').host;
  } catch {
    return 'api.anthropic.com';
  }
}

/**
 * Claude Code's sandbox settings for one run.
 * Rules: on, and failing the run when it cannot start; no command may leave it; Bash still asks Gluon's
 * approval policy; writes in the worktree and its git metadata only; reads everywhere except the data
 * directory (the worktree, the agent's home and the git metadata open again), the login files and the
 * credentials of both homes; network to the API's host and the project's allowed hosts, nothing else.
 */
export function sandboxSettings(p: SandboxPlaces): SandboxSettings {
  const git = worktreeGitDirs(p.cwd);
  const homes = [p.agentHome, ...(p.userHome ? [p.userHome] : [])];
  const denyRead = [
    p.dataDir,
    ...p.closedInHome,
    ...homes.flatMap((h) => HOME_SECRETS.map((s) => path.join(h, s))),
  ].flatMap(bothSpellings);
  return {
    enabled: true,
    failIfUnavailable: true,
    allowUnsandboxedCommands: false,
    autoAllowBashIfSandboxed: false,
    filesystem: {
      allowWrite: [p.cwd, ...git.write].flatMap(bothSpellings),
      denyRead: [...new Set(denyRead)],
      allowRead: [p.cwd, p.agentHome, ...git.read, ...git.write].flatMap(bothSpellings),
    },
    network: {
      allowedDomains: [...new Set([apiHost(p.apiBaseUrl), ...(p.allowedHosts ?? [])])],
      strictAllowlist: true,
    },
  };
}

/**
 * Why a WebFetch may not run, or null: Claude Code fetches in its own process, outside the sandbox, so
 * Gluon holds it to the sandbox's hosts. Rules: `host:port` matches that port only (the URL's default
 * port when it names none); `host` any port; `*.domain` its subdomains; anything unparsable is refused.
 */
export function webFetchRefusal(
  name: string,
  input: Record<string, unknown>,
  hosts: readonly string[],
): string | null {
  if (name !== 'WebFetch') return null;
  let url: URL;
  try {
    url = new URL(String(input.url ?? ''));
  } catch {
    return 'WebFetch without a URL the sandbox can check';
  }
  const port = url.port || (url.protocol === 'http:' ? '80' : '443');
  const allowed = hosts.some((h) => {
    const [host, hostPort] = h.startsWith('[')
      ? [h.slice(0, h.indexOf(']') + 1), h.split(']:')[1]]
      : h.split(':');
    if (hostPort !== undefined && hostPort !== port) return false;
    return host!.startsWith('*.') ? url.hostname.endsWith(host!.slice(1)) : url.hostname === host;
  });
  return allowed ? null : `the sandbox lets the agent reach only ${hosts.join(', ')}, not ${url.host}`;
}

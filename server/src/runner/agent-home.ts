/**
 * The agent's own HOME: one per Gluon installation (`<data dir>/claude-home`), kept between runs so that
 * sessions resume, holding only what Claude Code needs to reach Claude (the login file linked, the account
 * keys of `.claude.json` copied), the user's own Claude settings and slash commands (linked: "user
 * settings only" means these), and the user's git name and email. Nothing else of the server user's
 * home — ssh keys, cloud configs, Gluon's own data directory — is there to read by `~`.
 */
import { execFileSync } from 'node:child_process';
import {
  existsSync,
  lstatSync,
  mkdirSync,
  readFileSync,
  readlinkSync,
  realpathSync,
  symlinkSync,
  unlinkSync,
  writeFileSync,
} from 'node:fs';
import path from 'node:path';
import type { FenceRule } from '../domain/tool-targets.js';

export const AGENT_HOME_DIR = 'claude-home';
/** The keys of `.claude.json` that carry a login; the rest (per-project history, tips) stays behind. */
const ACCOUNT_KEYS = ['oauthAccount', 'primaryApiKey', 'userID', 'customApiKeyResponses'];

/**
 * What Claude Code's sandbox lays over the worktree while a command runs where these do not exist (empty
 * devices that keep a command from creating them, `.claude/` full of them): the agent's own git ignores
 * them (its home's `.config/git/ignore`), so its `git add -A` does not stop at them. Tracked files stay
 * tracked, and Gluon's own commits, which do not read this file, still take whatever the agent wrote.
 */
const SANDBOX_PLACEHOLDERS = [
  ...['.gitconfig', '.gitmodules', '.bashrc', '.bash_profile', '.zshrc', '.zprofile', '.profile'],
  ...['.ripgreprc', '.mcp.json', '.vscode', '.idea', '.claude/'],
].map((name) => `/${name}`);

/** The agent's HOME for a data directory. */
export const agentHomeOf = (dataDir: string) => path.join(dataDir, AGENT_HOME_DIR);

/** What of the user's Claude directory the agent's gets, linked: the login, the settings, the commands. */
const LINKED = ['.credentials.json', 'settings.json', 'commands'];

/**
 * Where the server user's Claude files live: `$CLAUDE_CONFIG_DIR` (with its `.claude.json`), else
 * `~/.claude` and `~/.claude.json`.
 */
function userClaude(env: Record<string, string | undefined>): { dir: string; account: string } | null {
  if (env.CLAUDE_CONFIG_DIR)
    return { dir: env.CLAUDE_CONFIG_DIR, account: path.join(env.CLAUDE_CONFIG_DIR, '.claude.json') };
  if (!env.HOME) return null;
  return { dir: path.join(env.HOME, '.claude'), account: path.join(env.HOME, '.claude.json') };
}

const sameFile = (a: string, b: string) => {
  try {
    return realpathSync(a) === realpathSync(b);
  } catch {
    return false;
  }
};

/** Points `link` at `target`, replacing whatever is there (a file Claude Code wrote, a stale link). */
function ensureLink(link: string, target: string): void {
  const current = lstatSync(link, { throwIfNoEntry: false });
  if (current?.isSymbolicLink() && readlinkSync(link) === target) return;
  if (current) unlinkSync(link);
  symlinkSync(target, link);
}

/** The account keys of the user's `.claude.json` merged into the agent's (which Claude Code keeps writing). */
function copyAccount(source: string, target: string): void {
  let from: Record<string, unknown>;
  try {
    from = JSON.parse(readFileSync(source, 'utf8')) as Record<string, unknown>;
  } catch {
    return;
  }
  let into: Record<string, unknown> = {};
  try {
    into = JSON.parse(readFileSync(target, 'utf8')) as Record<string, unknown>;
  } catch {
    // A first run, or a file Claude Code left half-written: start from the account keys alone.
  }
  for (const key of ACCOUNT_KEYS) if (key in from) into[key] = from[key];
  writeFileSync(target, JSON.stringify(into, null, 2), { mode: 0o600 });
}

/** Writes `text` to `file` unless it holds exactly that already (each run start would rewrite it). */
function writeUnlessSame(file: string, text: string, mode?: number): void {
  try {
    if (readFileSync(file, 'utf8') === text) return;
  } catch {
    // not there yet
  }
  writeFileSync(file, text, mode === undefined ? undefined : { mode });
}

/** gitIdentity's answers by PATH and HOME, with when they were read. */
const identities = new Map<string, { text: string; at: number }>();
/** How long a read identity is reused: two git processes per run start, each blocking the event loop. */
const IDENTITY_TTL_MS = 60_000;

/**
 * The server user's git `user.name`/`user.email` as a `.gitconfig`, so the agent's own commits work;
 * read again at most once a minute.
 */
function gitIdentity(env: Record<string, string | undefined>): string {
  const key = `${env.PATH ?? ''}\0${env.HOME ?? ''}`;
  const known = identities.get(key);
  if (known && Date.now() - known.at < IDENTITY_TTL_MS) return known.text;
  const text = readGitIdentity(env);
  identities.set(key, { text, at: Date.now() });
  return text;
}

function readGitIdentity(env: Record<string, string | undefined>): string {
  const get = (key: string) => {
    try {
      const out = execFileSync('git', ['config', '--global', '--get', key], {
        env: { PATH: env.PATH ?? '/usr/bin:/bin', HOME: env.HOME ?? '/nonexistent' },
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
      return out.trim().replace(/[\n"\\]/g, '');
    } catch {
      return '';
    }
  };
  const [name, email] = [get('user.name'), get('user.email')];
  return name && email ? `[user]\n\tname = "${name}"\n\temail = "${email}"\n` : '';
}

/**
 * Makes the agent's HOME ready and returns its path.
 * Rules: created with mode 700; the login file, settings and commands are symlinks to the user's (a token
 * Claude Code refreshes stays one token); `.claude.json` gets only the account keys; nothing is linked
 * over itself (a server whose own HOME is the agent's).
 */
export function prepareAgentHome(dataDir: string, env: Record<string, string | undefined>): string {
  const home = agentHomeOf(dataDir);
  mkdirSync(path.join(home, '.claude'), { recursive: true, mode: 0o700 });
  const user = userClaude(env);
  for (const name of user ? LINKED : []) {
    const [from, to] = [path.join(user!.dir, name), path.join(home, '.claude', name)];
    if (existsSync(from) && !sameFile(from, to)) ensureLink(to, from);
  }
  const account = path.join(home, '.claude.json');
  if (user && existsSync(user.account) && !sameFile(user.account, account))
    copyAccount(user.account, account);
  const identity = gitIdentity(env);
  if (identity) writeUnlessSame(path.join(home, '.gitconfig'), identity, 0o600);
  mkdirSync(path.join(home, '.config', 'git'), { recursive: true, mode: 0o700 });
  writeUnlessSame(path.join(home, '.config', 'git', 'ignore'), SANDBOX_PLACEHOLDERS.join('\n') + '\n');
  return home;
}

/** The agent's environment with its own HOME (and Claude's config in it, not where the server's points). */
export function withAgentHome(env: Record<string, string>, home: string): Record<string, string> {
  const out: Record<string, string> = { ...env, HOME: home };
  delete out.CLAUDE_CONFIG_DIR;
  return out;
}

/**
 * The fence rules of the agent's home inside the data directory: open (its plans, todos, the session it
 * is in), except the login files, which stay closed wherever their links lead.
 */
export function agentHomeFence(dataDir: string, env: Record<string, string | undefined>): FenceRule[] {
  const home = agentHomeOf(dataDir);
  const user = userClaude(env);
  const closed = [
    path.join(home, '.claude', '.credentials.json'),
    path.join(home, '.claude.json'),
    ...(user ? [path.join(user.dir, '.credentials.json'), user.account] : []),
  ];
  return [{ path: home, open: true }, ...closed.map((p) => ({ path: p, open: false }))];
}

/**
 * The agent's own HOME: one per Gluon installation (`<data dir>/claude-home`), kept between runs so that
 * sessions resume, holding only what Claude Code needs to reach Claude (the login file linked, the account
 * keys of `.claude.json` copied), the user's own Claude settings and slash commands (linked: "user
 * settings only" means these), and the user's git name and email. Nothing else of the server user's
 * home — ssh keys, cloud configs, Gluon's own data directory — is there to read by `~`.
 */
import { execFile, execFileSync } from 'node:child_process';
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

/** gitIdentity's answers by PATH and HOME, with when they were read and whether a new read is under way. */
const identities = new Map<string, { text: string; at: number; reading: boolean }>();
/** How long a read identity is taken as current; past it, the next start reads it again, off the loop. */
const IDENTITY_TTL_MS = 60_000;

/**
 * The server user's git `user.name`/`user.email` as a `.gitconfig`, so the agent's own commits work.
 * Rules: the first start (for a PATH and HOME) reads it, waiting for git; later starts take what was read,
 * and once it is a minute old, one of them has it read again in the background (a changed identity
 * reaches the start after): a run's start never waits for two git processes again, nor does the event
 * loop every other run's hooks are answered on.
 */
function gitIdentity(env: Record<string, string | undefined>): string {
  const key = `${env.PATH ?? ''}\0${env.HOME ?? ''}`;
  const known = identities.get(key);
  if (!known) {
    const text = identityText(readGitConfigSync(env, 'user.name'), readGitConfigSync(env, 'user.email'));
    identities.set(key, { text, at: Date.now(), reading: false });
    return text;
  }
  if (!known.reading && Date.now() - known.at >= IDENTITY_TTL_MS) {
    known.reading = true;
    // A failed read is an empty identity: the agent's .gitconfig keeps the one written last.
    Promise.all([readGitConfig(env, 'user.name'), readGitConfig(env, 'user.email')]).then(
      ([name, email]) =>
        identities.set(key, { text: identityText(name, email), at: Date.now(), reading: false }),
      () => (known.reading = false),
    );
  }
  return known.text;
}

const identityText = (name: string, email: string) =>
  name && email ? `[user]\n\tname = "${name}"\n\temail = "${email}"\n` : '';

/** `git config --global --get <key>` as the server user (its PATH and HOME only); '' when unset. */
function gitConfigArgs(env: Record<string, string | undefined>, key: string) {
  return {
    args: ['config', '--global', '--get', key],
    options: {
      env: { PATH: env.PATH ?? '/usr/bin:/bin', HOME: env.HOME ?? '/nonexistent' },
      encoding: 'utf8' as const,
    },
  };
}

const identityValue = (out: string) => out.trim().replace(/[\n"\\]/g, '');

function readGitConfigSync(env: Record<string, string | undefined>, key: string): string {
  const { args, options } = gitConfigArgs(env, key);
  try {
    return identityValue(execFileSync('git', args, { ...options, stdio: ['ignore', 'pipe', 'ignore'] }));
  } catch {
    return '';
  }
}

function readGitConfig(env: Record<string, string | undefined>, key: string): Promise<string> {
  const { args, options } = gitConfigArgs(env, key);
  return new Promise((resolve) => {
    const child = execFile('git', args, options, (err, stdout) => resolve(err ? '' : identityValue(stdout)));
    child.stdin?.end();
  });
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

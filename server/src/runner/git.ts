/**
 * Host-side git. Every git process the server starts goes through `git()`: no shell, and none of the
 * repository's code-running configuration (hooks, fsmonitor, filters, diff/merge drivers, transports,
 * credential helpers) is honoured, because the repository — and the agent working inside it — is untrusted.
 */
import { execFile, type ExecFileException } from 'node:child_process';
import { neutralizeRepositoryConfig, parseConfigList, type ConfigEntry } from './git-config-guard.js';

export interface GitOptions {
  input?: string;
  env?: Record<string, string>;
  timeoutMs?: number;
  allowFailure?: boolean;
  /**
   * The repository's config as `scanConfig` found it, for a run of calls in a worktree nobody else writes
   * meanwhile (an agent that has exited): the call then skips its own scan.
   */
  scan?: ConfigScan;
}

/** A repository's configuration, read once and made harmless: what `git()` adds to each call. */
export interface ConfigScan {
  cwd: string;
  config: Array<readonly [string, string]>;
  env: Record<string, string>;
  args: Record<string, string[]>;
  /** Every entry as git listed it (last wins, as `git config --get` answers). */
  entries: ConfigEntry[];
}

export interface GitResult {
  stdout: string;
  stderr: string;
  code: number;
}
/** The fields of git's `-z` output, empty ones dropped. */
export const splitNul = (text: string): string[] => text.split('\0').filter((field) => field !== '');

/** A git process that exited non-zero (code is the exit code) or could not run at all (code -1). */
export class GitError extends Error {
  constructor(
    message: string,
    readonly args: string[],
    readonly code: number,
    readonly stderr: string,
  ) {
    super(message);
    this.name = 'GitError';
  }
}

const DEFAULT_TIMEOUT_MS = 10 * 60_000;
const MAX_OUTPUT_BYTES = 256 * 1024 * 1024;

/**
 * Command-scope settings applied to every call. Command scope is read after system, global and repository
 * config, so these win over whatever a hostile `.git/config` says. They travel as GIT_CONFIG_COUNT env
 * rather than `-c`, so child git processes (gc, `git branch` spawned by `worktree add`…) inherit them too.
 */
const STATIC_CONFIG: ReadonlyArray<readonly [string, string]> = [
  ['core.hooksPath', '/dev/null'], // hooks resolve to /dev/null/<name>, which can never exist
  ['core.fsmonitor', 'false'],
  ['diff.external', ''], // fails closed if a diff-running command is ever called without --no-ext-diff
  ['protocol.ext.allow', 'never'],
  ['commit.gpgSign', 'false'],
  ['tag.gpgSign', 'false'],
  ['push.gpgSign', 'false'],
  ['log.showSignature', 'false'], // would run gpg.program
  ['merge.verifySignatures', 'false'],
  ['submodule.recurse', 'false'], // a submodule's own config is never scanned, so never enter one
  ['fetch.recurseSubmodules', 'false'],
  ['push.recurseSubmodules', 'no'],
  ['gc.auto', '0'], // no detached background gc outliving the call
  ['maintenance.auto', 'false'],
  ['help.autoCorrect', '0'], // a mistyped subcommand must not be "corrected" into a `!shell` alias
  ['color.ui', 'false'], // output is parsed
];

/** Inherited variables that would redirect git to another repository, index or program. */
const DROPPED_ENV =
  /^(GIT_(DIR|WORK_TREE|INDEX_FILE|OBJECT_DIRECTORY|ALTERNATE_OBJECT_DIRECTORIES|COMMON_DIR|NAMESPACE|PREFIX|EXTERNAL_DIFF|DIFF_OPTS|CONFIG|CONFIG_PARAMETERS|CONFIG_COUNT|CONFIG_KEY_\d+|CONFIG_VALUE_\d+|QUARANTINE_PATH)|LANGUAGE)$/;

const FIXED_ENV: Record<string, string> = {
  GIT_TERMINAL_PROMPT: '0',
  GCM_INTERACTIVE: 'never',
  GIT_EDITOR: ':', // git treats ":" as "no editor" without spawning anything
  GIT_SEQUENCE_EDITOR: ':',
  GIT_MERGE_AUTOEDIT: 'no',
  GIT_PAGER: 'cat',
  PAGER: 'cat',
  GIT_OPTIONAL_LOCKS: '0', // status must not take index.lock in a checkout someone else is using
  LC_ALL: 'C', // stderr is matched against English messages
};

/** Subcommands that never read the work tree through attributes nor start a transport. */
const SCAN_FREE = new Set(
  'config rev-parse symbolic-ref check-ref-format for-each-ref show-ref merge-base update-ref var rev-list'.split(
    ' ',
  ),
);
const DIFF_FAMILY = new Set(['diff', 'log', 'show', 'whatchanged', 'format-patch']);

function subcommandIndex(args: string[]): number {
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] as string;
    if (arg === '-c' || arg === '-C') i++;
    else if (!arg.startsWith('-')) return i;
  }
  return -1;
}

function needsConfigScan(args: string[]): boolean {
  const i = subcommandIndex(args);
  if (i === -1) return false;
  return !(SCAN_FREE.has(args[i] as string) || (args[i] === 'worktree' && args[i + 1] === 'list'));
}

/** Inserts guard options after the subcommand; diff-producing porcelain never runs an external diff or textconv. */
function withGuards(args: string[], extra: Record<string, string[]>): string[] {
  const i = subcommandIndex(args);
  const sub = args[i];
  if (sub === undefined) return args;
  const guards = DIFF_FAMILY.has(sub)
    ? ['--no-ext-diff', '--no-textconv']
    : sub === 'blame'
      ? ['--no-textconv']
      : (extra[sub] ?? []);
  return [...args.slice(0, i + 1), ...guards, ...args.slice(i + 1)];
}

function buildEnv(
  extra: Record<string, string> | undefined,
  config: ReadonlyArray<readonly [string, string]>,
) {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !DROPPED_ENV.test(name)) env[name] = value;
  }
  Object.assign(env, extra, FIXED_ENV, { GIT_CONFIG_COUNT: String(config.length) });
  config.forEach(([key, value], i) => {
    env[`GIT_CONFIG_KEY_${i}`] = key;
    env[`GIT_CONFIG_VALUE_${i}`] = value;
  });
  return env;
}

function run(cwd: string, args: string[], argv: string[], env: Record<string, string>, opts: GitOptions) {
  return new Promise<GitResult>((resolve, reject) => {
    const child = execFile(
      'git',
      argv,
      {
        cwd,
        env,
        timeout: opts.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        maxBuffer: MAX_OUTPUT_BYTES,
        encoding: 'utf8',
      },
      (error: ExecFileException | null, stdout: string, stderr: string) => {
        if (!error) return resolve({ stdout, stderr, code: 0 });
        if (typeof error.code === 'number') return resolve({ stdout, stderr, code: error.code });
        const why = error.killed ? `killed (${error.signal ?? 'timeout'})` : error.message;
        reject(new GitError(`git ${args.join(' ')} in ${cwd}: ${why}`, args, -1, stderr));
      },
    );
    // git may exit before reading its input; the exit code already reports that, so EPIPE is noise.
    child.stdin?.on('error', () => undefined);
    // Without input nothing is written (only closed): a write after git exited fails with an EPIPE whose
    // stack trace, with source maps on, costs the decoding of a whole map.
    if (opts.input === undefined) child.stdin?.end();
    else child.stdin?.end(opts.input);
  });
}

/**
 * Runs `git <args>` in `cwd` without a shell and with the repository's program-running config disabled.
 * Throws GitError on a non-zero exit unless `allowFailure`; always throws when git cannot run or times out.
 */
export async function git(cwd: string, args: string[], opts: GitOptions = {}): Promise<GitResult> {
  let scan: ConfigScan | null = null;
  if (needsConfigScan(args)) {
    const found = opts.scan?.cwd === cwd ? opts.scan : await scanConfig(cwd, opts);
    if (!('entries' in found)) return finish(found, args, opts);
    scan = found;
  }
  const result = await run(
    cwd,
    args,
    ['--no-pager', ...withGuards(args, scan?.args ?? {})],
    buildEnv({ ...opts.env, ...scan?.env }, scan?.config ?? STATIC_CONFIG),
    opts,
  );
  return finish(result, args, opts);
}

/**
 * Reads the repository's config (`git config -z --list --show-scope`) and neutralizes what it would make
 * git run; the failed listing when git cannot read it. Every call that may read attributes or start a
 * transport does this first, unless handed a scan (`GitOptions.scan`). Calls that ask while a read of
 * the same directory (and environment) is under way share it: their answer is as fresh as their own
 * would have been, a git process fewer (a task's start and the pool's refill read one repository at once).
 */
export function scanConfig(
  cwd: string,
  opts: Pick<GitOptions, 'env' | 'timeoutMs'> = {},
): Promise<ConfigScan | GitResult> {
  const key = `${cwd}\0${JSON.stringify(opts.env ?? {})}`;
  let scan = scansUnderWay.get(key);
  if (!scan) {
    scan = readConfig(cwd, opts).finally(() => scansUnderWay.delete(key));
    scansUnderWay.set(key, scan);
  }
  return scan;
}

const scansUnderWay = new Map<string, Promise<ConfigScan | GitResult>>();

/**
 * A scan made in one checkout of a repository (its main one or a linked worktree), as the scan of another
 * checkout `cwd` of the same repository, when it holds nothing particular to its own: no `worktree`-scope
 * entry (config.worktree) and no include, whose conditions (gitdir, onbranch) may answer differently
 * there. Undefined otherwise. The caller knows both are checkouts of one repository (a task's worktree
 * and its repository, a pool worktree just added to it).
 */
export function sharedScan(scan: ConfigScan | undefined, cwd: string): ConfigScan | undefined {
  if (!scan || scan.cwd === cwd) return scan;
  const own = scan.entries.some((e) => e.scope === 'worktree' || /^include(if)?\./i.test(e.key));
  return own ? undefined : { ...scan, cwd };
}

async function readConfig(cwd: string, opts: Pick<GitOptions, 'env' | 'timeoutMs'>) {
  const scanArgs = ['config', '-z', '--list', '--show-scope'];
  const listed = await run(
    cwd,
    scanArgs,
    ['--no-pager', ...scanArgs],
    buildEnv(opts.env, STATIC_CONFIG),
    opts,
  );
  if (listed.code !== 0) return listed;
  const entries = parseConfigList(listed.stdout);
  const neutral = neutralizeRepositoryConfig(entries, process.env);
  return {
    cwd,
    config: [...STATIC_CONFIG, ...neutral.config],
    env: neutral.env,
    args: neutral.args,
    entries,
  };
}

function finish(result: GitResult, args: string[], opts: GitOptions): GitResult {
  if (result.code === 0 || opts.allowFailure) return result;
  throw gitFailure(result, args);
}

/** The error of a git call that exited non-zero, naming the last line git wrote on stderr. */
export function gitFailure(result: GitResult, args: string[]): GitError {
  const detail = result.stderr.trim().split('\n').at(-1) ?? '';
  return new GitError(
    `git ${args[0] ?? ''} failed (${result.code}): ${detail}`,
    args,
    result.code,
    result.stderr,
  );
}

/**
 * Whether `name` is a branch name Gluon may pass to git. A conservative subset of `git check-ref-format
 * --branch`: only [A-Za-z0-9._/-] (so no spaces, control characters, `~^:?*[\`, `@{` or shell syntax), no
 * leading dash (option injection), no `..`, no empty, leading, trailing or dot-started component, no
 * `.lock` component suffix, no trailing dot, not `HEAD`.
 */
export function isSafeRefName(name: string): boolean {
  if (name.length === 0 || name.length > 200 || name === 'HEAD') return false;
  if (!/^[A-Za-z0-9._/-]+$/.test(name) || name.startsWith('-') || name.endsWith('.')) return false;
  if (name.includes('..')) return false;
  return name.split('/').every((part) => part !== '' && !part.startsWith('.') && !part.endsWith('.lock'));
}

/**
 * Recognises the Bash commands the `careful` approval policy holds for a human: ones that delete or
 * overwrite work beyond easy recovery, rewrite shared history, publish packages, run downloaded scripts,
 * or take root. Each simple command is judged on its own words (see shell-words.ts), so `echo "rm -rf /"`
 * is text and passes, while `bash -c "rm -rf /"`, `$(rm -rf /)` and `xargs rm -rf` are caught.
 */
import { splitShellCommands } from './shell-words.js';

/** Nesting deeper than this (`bash -c "sh -c \"…\""`) is refused rather than followed. */
const MAX_DEPTH = 6;

const SHELLS = new Set(['sh', 'bash', 'zsh', 'dash', 'ksh', 'fish']);
const INTERPRETERS = new Set([...SHELLS, 'python', 'python3', 'perl', 'ruby', 'node']);
const DOWNLOADERS = new Set(['curl', 'wget']);
/** Words that may stand before the command proper without changing what runs. */
const PREFIX_WORDS = new Set(
  '{ } ! if then elif else do while until time exec command builtin nohup'.split(' '),
);
/** Wrappers that run the rest of the line as a command, with the options of theirs that take a value. */
const WRAPPERS: Record<string, Set<string>> = {
  env: new Set(['-u', '-C', '--unset', '--chdir']),
  nice: new Set(['-n', '--adjustment']),
  timeout: new Set(['-s', '-k', '--signal', '--kill-after']),
  xargs: new Set(['-I', '-i', '-n', '-L', '-l', '-P', '-d', '-s', '-E', '-e', '-a']),
  stdbuf: new Set(['-i', '-o', '-e']),
  // Package runners run the named tool (`npx jsr publish`).
  npx: new Set(['-p', '--package']),
  bunx: new Set(['-p', '--package']),
  pnpx: new Set<string>(),
};
const PUBLISHERS: Record<string, string> = {
  npm: 'publish',
  pnpm: 'publish',
  yarn: 'publish',
  cargo: 'publish',
  twine: 'upload',
  gem: 'push',
  poetry: 'publish',
  uv: 'publish',
  bun: 'publish',
  deno: 'publish',
  jsr: 'publish',
  hatch: 'publish',
  flit: 'publish',
  mvn: 'deploy',
  gradle: 'publish',
  gradlew: 'publish',
  dotnet: 'push',
};
/** Package-manager subcommands after which a `publish` word is only an argument (a script or package name). */
const OTHER_SUBCOMMANDS = new Set(
  'run run-script exec x dlx create init install i add remove info view why help search'.split(' '),
);
const DISK_DEVICE = /^\/dev\/(sd[a-z]|hd[a-z]|vd[a-z]|xvd[a-z]|nvme\d|mmcblk\d|r?disk\d)/;

/**
 * Returns why `command` needs approval under `careful`, or null when it does not.
 * - any simple command anywhere (after `&&`, `;`, `|`, in a subshell, a substitution, `bash -c`, `eval`,
 *   `find -exec`, behind `env`/`xargs`/`timeout`/`nice`) counts;
 * - `sudo`/`doas`, `rm` with -r/-f, force-push or remote delete, `git reset --hard`, `git clean -f`,
 *   `git branch -D`, `git checkout .`/`--force`, `git restore .`, package publishing (npm, pnpm, yarn, bun,
 *   deno, jsr, cargo, twine, gem, poetry, uv, hatch, flit, mvn deploy, gradle, dotnet nuget push), a
 *   world-writable `chmod` (777 and the like), `dd`,
 *   `mkfs*`, a redirect onto a disk device, `find -delete`, and a download piped into an interpreter;
 * - text that is only an argument (echo, grep, a commit message) never counts.
 */
export function findDestructiveCommand(command: string, depth = 0): string | null {
  if (depth > MAX_DEPTH) return 'command nested too deeply to check';
  // A download anywhere earlier on the line (`curl … | sh`, `x=$(curl …); echo "$x" | sh`) taints what
  // a later interpreter reads from a pipe.
  let downloaded = false;
  for (const c of splitShellCommands(command)) {
    for (const inner of c.substitutions) {
      const reason = findDestructiveCommand(inner, depth + 1);
      if (reason) return reason;
    }
    const device = c.redirects.find((t) => DISK_DEVICE.test(t));
    if (device) return `writes to a raw disk device: ${device}`;
    const words = unwrap(c.words);
    if (typeof words === 'string') return words;
    const name = basename(words[0] ?? '');
    const fetches = c.substitutions.some(runsDownloader);
    if (INTERPRETERS.has(name)) {
      if (c.pipedInput && downloaded && readsProgramFromStdin(name, words.slice(1))) {
        return `runs a downloaded script: piped into ${name}`;
      }
      if (fetches) return `runs a downloaded script: ${name} with a download`;
    }
    downloaded ||= fetches || DOWNLOADERS.has(name);
    const reason = judge(name, words.slice(1), depth);
    if (reason) return reason;
  }
  return null;
}

/** Strips prefix words, variable assignments and wrappers; a privilege wrapper answers with its reason. */
function unwrap(words: string[]): string[] | string {
  let i = 0;
  while (i < words.length) {
    const w = words[i] as string;
    if (PREFIX_WORDS.has(w) || /^[A-Za-z_][A-Za-z0-9_]*=/.test(w)) i++;
    else if (w === 'sudo' || w === 'doas' || w === 'su') return `runs as root: ${w}`;
    else if (WRAPPERS[w]) {
      const valued = WRAPPERS[w];
      i++;
      while (i < words.length && (words[i]?.startsWith('-') || /^[A-Za-z_]\w*=/.test(words[i] ?? ''))) {
        i += valued.has(words[i] as string) ? 2 : 1;
      }
      if (w === 'timeout') i++;
    } else break;
  }
  return words.slice(i);
}

/** The verdict on one command name and its arguments. */
function judge(name: string, args: string[], depth: number): string | null {
  if (name.startsWith('mkfs')) return `formats a file system: ${name}`;
  if (SHELLS.has(name)) {
    const script = shellScript(args);
    return script === null ? null : findDestructiveCommand(script, depth + 1);
  }
  const publish = PUBLISHERS[name];
  if (publish && isSubcommand(args, publish)) return `publishes a package: ${name} ${publish}`;
  if (name === 'npm' && isSubcommand(args, 'unpublish')) return 'unpublishes a package: npm unpublish';
  switch (name) {
    case 'rm':
      return rmReason(args);
    case 'git':
      return gitReason(args);
    case 'eval':
      return findDestructiveCommand(args.join(' '), depth + 1);
    case 'find':
      return findReason(args, depth);
    case 'chmod':
      return args.some(worldWritable) ? `destructive command: chmod ${args.join(' ')}` : null;
    case 'dd':
      return args.some((a) => a.startsWith('if=') || a.startsWith('of=')) ? 'raw disk copy: dd' : null;
    default:
      return null;
  }
}

function rmReason(args: string[]): string | null {
  const f = flags(args);
  const recursive = f.has('r') || f.has('R') || f.has('--recursive');
  const force = f.has('f') || f.has('--force');
  if (!recursive && !force) return null;
  return `destructive command: rm -${recursive ? 'r' : ''}${force ? 'f' : ''}`;
}

/** Rules per git subcommand; global options (`-C dir`, `-c k=v`) before it are skipped. */
function gitReason(args: string[]): string | null {
  let i = 0;
  while (i < args.length && args[i]?.startsWith('-'))
    i += ['-C', '-c', '--git-dir', '--work-tree'].includes(args[i] as string) ? 2 : 1;
  const sub = args[i];
  const rest = args.slice(i + 1);
  const f = flags(rest);
  const operands = rest.filter((a) => !a.startsWith('-'));
  switch (sub) {
    case 'push':
      if (
        f.has('f') ||
        f.has('--force') ||
        f.has('--force-with-lease') ||
        operands.some((o) => o.startsWith('+'))
      ) {
        return 'force push: git push --force';
      }
      if (f.has('d') || f.has('--delete') || operands.some((o) => o.startsWith(':')))
        return 'deletes a remote branch: git push --delete';
      return null;
    case 'reset':
      return f.has('--hard') ? 'destructive command: git reset --hard' : null;
    case 'clean':
      return (f.has('f') || f.has('--force')) && !f.has('n') && !f.has('--dry-run')
        ? 'deletes untracked files: git clean -f'
        : null;
    case 'branch':
      return f.has('D') || ((f.has('d') || f.has('--delete')) && (f.has('f') || f.has('--force')))
        ? 'deletes a branch: git branch -D'
        : null;
    case 'checkout':
      if (f.has('f') || f.has('--force')) return 'discards local changes: git checkout --force';
      return rest.some(isWholeTree) ? 'discards local changes: git checkout .' : null;
    case 'restore': {
      const worktreeOnlyStaged = (f.has('S') || f.has('--staged')) && !(f.has('W') || f.has('--worktree'));
      return rest.some(isWholeTree) && !worktreeOnlyStaged ? 'discards local changes: git restore .' : null;
    }
    default:
      return null;
  }
}

function findReason(args: string[], depth: number): string | null {
  if (args.includes('-delete')) return 'destructive command: find -delete';
  const exec = args.findIndex((a) => a === '-exec' || a === '-execdir' || a === '-ok' || a === '-okdir');
  if (exec < 0) return null;
  const end = args.findIndex((a, k) => k > exec && (a === ';' || a === '+'));
  const inner = args.slice(exec + 1, end < 0 ? undefined : end);
  return (
    judge(basename(inner[0] ?? ''), inner.slice(1), depth + 1) ?? findReason(args.slice(exec + 1), depth)
  );
}

/** Short flags split into letters (`-rf` → r, f), long flags kept whole up to `=`; stops at `--`. */
function flags(args: string[]): Set<string> {
  const out = new Set<string>();
  for (const a of args) {
    if (a === '--') break;
    if (a.startsWith('--')) out.add(a.split('=')[0] as string);
    else if (/^-[A-Za-z]+$/.test(a)) for (const letter of a.slice(1)) out.add(letter);
  }
  return out;
}

/**
 * Whether the tool is asked to run subcommand `sub`.
 * - any operand equal to `sub` counts, since option values make "the first operand" unreliable
 *   (`npm --tag beta publish`, `yarn npm publish`);
 * - unless an operand before it starts something else (`npm run publish`, `npm install publish`);
 * - `--dry-run` publishes nothing.
 */
function isSubcommand(args: string[], sub: string): boolean {
  if (args.includes('--dry-run')) return false;
  for (const a of args) {
    if (a === sub) return true;
    if (OTHER_SUBCOMMANDS.has(a)) return false;
  }
  return false;
}

/** The script of `sh -c SCRIPT`, or null when the shell is not given one on the command line. */
function shellScript(args: string[]): string | null {
  let hasC = false;
  for (let k = 0; k < args.length; k++) {
    const a = args[k] as string;
    if (a === '-o' || a === '+o') k++;
    else if (/^-[A-Za-z]+$/.test(a)) hasC ||= a.includes('c');
    else return hasC ? a : null;
  }
  return null;
}

/** Whether an interpreter takes its program from stdin: no script file and no `-c` (nor `-m`/`-e` for others). */
function readsProgramFromStdin(name: string, args: string[]): boolean {
  const programFlag = SHELLS.has(name) ? /^-[A-Za-z]*c/ : /^-[A-Za-z]*[cme]/;
  for (const a of args) {
    if (a === '-' || a === '-s' || a === '--') return true;
    if (programFlag.test(a) || !a.startsWith('-')) return false;
  }
  return true;
}

function runsDownloader(source: string): boolean {
  return splitShellCommands(source).some((c) => DOWNLOADERS.has(basename(c.words[0] ?? '')));
}

/**
 * Whether a chmod mode lets everyone write (what makes `chmod 777` dangerous).
 * - octal: the last digit has the write bit (`777`, `0777`, `1777`, `666`);
 * - symbolic: a clause for others or all (`o`, `a`, `ugo`) that adds or sets `w` (`a+rwx`, `o=rwx`, `o+w`);
 *   a clause with no one named (`+w`) follows the umask and does not count.
 */
function worldWritable(mode: string): boolean {
  if (/^[0-7]{3,4}$/.test(mode)) return [2, 3, 6, 7].includes(Number(mode[mode.length - 1]));
  if (!/^[ugoa]*[+=-][rwxXst]*([,][ugoa]*[+=-][rwxXst]*)*$/.test(mode)) return false;
  return mode.split(',').some((clause) => {
    const [, who = '', op = '', perms = ''] = /^([ugoa]*)([+=-])(.*)$/.exec(clause) ?? [];
    return /[oa]/.test(who) && op !== '-' && perms.includes('w');
  });
}

function isWholeTree(arg: string): boolean {
  return arg === '.' || arg === ':/' || arg === './' || arg === '*';
}

function basename(word: string): string {
  return word.slice(word.lastIndexOf('/') + 1);
}

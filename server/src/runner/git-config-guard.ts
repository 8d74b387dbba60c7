/**
 * The guard against a hostile repository's own config: programs that `.git/config` (or a file it
 * includes) would make git run on the host — filters, diff and merge drivers, ssh and askpass commands,
 * gpg, credential helpers, proxies — are put back to the user's own value or to a harmless one, per call.
 */
const TRUSTED_SCOPES = new Set(['system', 'global', 'command']);

export interface ConfigEntry {
  scope: string;
  key: string;
  value: string | null;
}

/** A key's value as `git config --get` answers it from the same listing: the last entry wins; empty is none. */
export function configGet(entries: readonly ConfigEntry[], key: string): string | null {
  return entries.findLast((e) => e.key === key)?.value?.trim() || null;
}

/** Parses `git config -z --list --show-scope`: `scope NUL key LF value NUL`, value absent for bare keys. */
export function parseConfigList(stdout: string): ConfigEntry[] {
  const fields = stdout.split('\0');
  const entries: ConfigEntry[] = [];
  for (let i = 0; i + 1 < fields.length; i += 2) {
    const [scope, pair] = [fields[i] as string, fields[i + 1] as string];
    const newline = pair.indexOf('\n');
    entries.push(
      newline === -1
        ? { scope, key: pair, value: null }
        : { scope, key: pair.slice(0, newline), value: pair.slice(newline + 1) },
    );
  }
  return entries;
}

function splitKey(key: string): { section: string; sub: string | null; name: string } {
  const first = key.indexOf('.');
  const last = key.lastIndexOf('.');
  return {
    section: key.slice(0, first),
    sub: last > first ? key.slice(first + 1, last) : null,
    name: key.slice(last + 1),
  };
}

/**
 * The replacement for a key that makes git run a program, or null when the key is harmless.
 * Rules: filter drivers are emptied and made non-required (git then stores/checks out bytes as they are);
 * diff/merge drivers and alternateRefsCommand are emptied (git fails instead of running them); ssh and gpg
 * go back to git's defaults. (remote.*.uploadpack/receivepack are first-wins: see neutralizeRepositoryConfig.)
 */
function neutralValue(key: string): string | null {
  const { section, sub, name } = splitKey(key);
  if (section === 'filter' && sub !== null) return name === 'required' ? 'false' : '';
  if (section === 'diff' && sub !== null && (name === 'command' || name === 'textconv')) return '';
  if (section === 'merge' && sub !== null && name === 'driver') return '';
  if (section === 'core' && sub === null) {
    if (name === 'sshcommand') return 'ssh';
    if (name === 'askpass' || name === 'alternaterefscommand') return '';
  }
  if (section === 'remote' && sub !== null && name === 'vcs') return '';
  if (section === 'gpg' && name === 'program')
    return sub === 'x509' ? 'gpgsm' : sub === 'ssh' ? 'ssh-keygen' : 'gpg';
  if (section === 'gpg' && sub === 'ssh' && name === 'defaultkeycommand') return '';
  return null;
}

export interface Neutralization {
  config: Array<[string, string]>;
  env: Record<string, string>;
  /** Options inserted after these subcommands. */
  args: Record<string, string[]>;
}

/**
 * Turns the effective config into overrides for every program-running key that a repository-level file
 * (local, worktree, or anything it includes) sets. The user's own system/global value is re-applied when
 * there is one (git-lfs, a corporate ssh wrapper keep working); otherwise the neutral value is used.
 */
export function neutralizeRepositoryConfig(
  entries: ConfigEntry[],
  inheritedEnv: NodeJS.ProcessEnv,
): Neutralization {
  const trusted = entries.filter((e) => TRUSTED_SCOPES.has(e.scope));
  const untrusted = entries.filter((e) => !TRUSTED_SCOPES.has(e.scope));
  const trustedValue = (key: string): string | undefined => {
    const found = trusted.findLast((e) => e.key === key);
    return found ? (found.value ?? 'true') : undefined;
  };
  const keys = new Set<string>();
  for (const { key } of untrusted) {
    const { section, sub } = splitKey(key);
    // A filter is one driver: neutralize all of its commands together, and make it non-required.
    if (section === 'filter' && sub !== null) {
      for (const part of ['clean', 'smudge', 'process', 'required']) keys.add(`filter.${sub}.${part}`);
    } else if (neutralValue(key) !== null) keys.add(key);
  }
  const config: Array<[string, string]> = [...keys].map((key) => [
    key,
    trustedValue(key) ?? (neutralValue(key) as string),
  ]);
  const isHelper = (e: ConfigEntry) => e.key.startsWith('credential.') && e.key.endsWith('.helper');
  if (untrusted.some(isHelper)) {
    // credential.helper is a list: an empty value clears it, then the user's own helpers are put back.
    config.push(['credential.helper', '']);
    for (const e of trusted.filter(isHelper)) config.push([e.key, e.value ?? '']);
  }
  const env: Record<string, string> = {};
  // core.gitProxy and remote.*.uploadpack/receivepack are first-wins, so a later config value cannot beat
  // them; the environment variable and the command-line options can.
  if (untrusted.some((e) => e.key === 'core.gitproxy'))
    env.GIT_PROXY_COMMAND = inheritedEnv.GIT_PROXY_COMMAND ?? '';
  const args: Record<string, string[]> = {};
  if (untrusted.some((e) => /^remote\..+\.uploadpack$/.test(e.key))) {
    for (const sub of ['fetch', 'pull', 'ls-remote']) args[sub] = ['--upload-pack=git-upload-pack'];
  }
  if (untrusted.some((e) => /^remote\..+\.receivepack$/.test(e.key)))
    args.push = ['--receive-pack=git-receive-pack'];
  return { config, env, args };
}

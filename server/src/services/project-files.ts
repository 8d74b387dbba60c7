/**
 * What the new task dialog completes from: a project's files (`git ls-files`, cached, fuzzy-searched)
 * and the slash commands Claude Code knows (the project's `.claude/commands` when the project trusts its
 * repository's settings, the user's `~/.claude/commands`). Read-only; every file read is checked to stay inside its directory.
 */
import { readdir, readFile, realpath, stat } from 'node:fs/promises';
import path from 'node:path';
import { fuzzyFilter, type FuzzyMatch } from '../domain/fuzzy-match.js';
import { notFound } from '../errors.js';
import { git } from '../runner/git.js';
import type { ProjectRecord } from '../storage/projects-repo.js';
import { trustsRepoSettings } from './projects.js';

export interface SlashCommandDto {
  name: string;
  description: string;
  argumentHint: string | null;
  scope: 'project' | 'user';
}

export interface ProjectFilesDeps {
  findProject: (idOrName: string) => Promise<ProjectRecord | undefined>;
  /** The environment agents get their HOME (and CLAUDE_CONFIG_DIR) from. */
  env: NodeJS.ProcessEnv;
  /** How long a file list is reused when the git index has not changed. */
  cacheMs?: number;
}

interface FileList {
  indexMtimeMs: number;
  at: number;
  paths: string[];
  lowers: string[];
}

const MAX_FILES = 200_000;
const MAX_COMMANDS = 500;
const COMMAND_NAME = /^[A-Za-z0-9][A-Za-z0-9_.:-]{0,80}$/;

/** Whether a path from git is a plain relative path inside the repository. */
export function isSafeRelative(p: string): boolean {
  return p.length > 0 && !p.includes('\0') && !p.startsWith('/') && !p.split('/').includes('..');
}

/** Reads a command file's front matter `description:` / `argument-hint:`, else its first line. */
export function describeCommand(text: string): { description: string; argumentHint: string | null } {
  let body = text;
  let description: string | null = null;
  let argumentHint: string | null = null;
  const front = /^---\r?\n([\s\S]*?)\r?\n---\r?\n?/.exec(text);
  if (front) {
    body = text.slice(front[0].length);
    for (const line of front[1]!.split(/\r?\n/)) {
      const m = /^([\w-]+):\s*(.*)$/.exec(line);
      const value = m?.[2]?.trim().replace(/^["']|["']$/g, '') ?? '';
      if (m?.[1] === 'description' && value) description = value;
      if (m?.[1] === 'argument-hint' && value) argumentHint = value;
    }
  }
  const first =
    body
      .split(/\r?\n/)
      .find((l) => l.trim())
      ?.trim() ?? '';
  return { description: (description ?? first.replace(/^#+\s*/, '')).slice(0, 200), argumentHint };
}

/**
 * The commands of one directory.
 * Rules: with `within` given (a project), the directory must resolve inside it (a symlinked
 * `.claude/commands` or `.claude` pointing elsewhere lists nothing); each file must resolve inside the
 * directory; at most 3 levels deep, 500 commands, 64 KiB a file.
 */
async function listCommandDir(
  dir: string,
  scope: 'project' | 'user',
  within?: string,
): Promise<SlashCommandDto[]> {
  let root: string;
  try {
    root = await realpath(dir);
    const outer = within === undefined ? null : await realpath(within);
    if (outer !== null && !root.startsWith(`${outer}${path.sep}`)) return [];
  } catch {
    return [];
  }
  const out: SlashCommandDto[] = [];
  const walk = async (folder: string, depth: number): Promise<void> => {
    const entries = await readdir(folder, { withFileTypes: true }).catch(() => []);
    for (const entry of entries) {
      if (out.length >= MAX_COMMANDS) return;
      const full = path.join(folder, entry.name);
      if (entry.isDirectory() && depth < 3) await walk(full, depth + 1);
      if (!entry.name.endsWith('.md')) continue;
      const name = entry.name.slice(0, -3);
      if (!COMMAND_NAME.test(name)) continue;
      // A symlink may point anywhere (the repository is untrusted): read only what resolves inside.
      const real = await realpath(full).catch(() => null);
      if (!real || !real.startsWith(`${root}${path.sep}`)) continue;
      const info = await stat(real);
      if (!info.isFile() || info.size > 64 * 1024) continue;
      out.push({ name, scope, ...describeCommand(await readFile(real, 'utf8')) });
    }
  };
  await walk(root, 0);
  return out;
}

export function createProjectFiles(deps: ProjectFilesDeps) {
  const cacheMs = deps.cacheMs ?? 15_000;
  const lists = new Map<string, FileList>();

  async function project(idOrName: string): Promise<ProjectRecord> {
    const p = await deps.findProject(idOrName);
    if (!p) throw notFound(`project ${idOrName}`);
    return p;
  }

  /** The project's files, from cache while git's index is unchanged and the list is fresh. */
  async function files(p: ProjectRecord): Promise<FileList> {
    const indexMtimeMs = await stat(path.join(p.path, '.git', 'index')).then(
      (s) => s.mtimeMs,
      () => 0,
    );
    const cached = lists.get(p.id);
    if (cached && cached.indexMtimeMs === indexMtimeMs && Date.now() - cached.at < cacheMs) return cached;
    const { stdout } = await git(p.path, ['ls-files', '-z', '--cached', '--others', '--exclude-standard']);
    const paths = [...new Set(stdout.split('\0'))].filter(isSafeRelative).slice(0, MAX_FILES).sort();
    const list = { indexMtimeMs, at: Date.now(), paths, lowers: paths.map((f) => f.toLowerCase()) };
    lists.set(p.id, list);
    return list;
  }

  return {
    /** The best matches of `query` among the project's files. */
    async search(
      idOrName: string,
      query: string,
      limit = 50,
    ): Promise<{ files: FuzzyMatch[]; total: number }> {
      const list = await files(await project(idOrName));
      return { files: fuzzyFilter(list.paths, list.lowers, query, limit), total: list.paths.length };
    },

    /**
     * The slash commands for a project.
     * Rules: the project's own only when it trusts its repository's settings (otherwise its agents do not
     * load them, so offering them would mislead); project commands first; a user command with the same
     * name as a project one is hidden (the project's wins, as in Claude Code); sorted by name in each scope.
     */
    async commands(idOrName: string): Promise<SlashCommandDto[]> {
      const p = await project(idOrName);
      const home = deps.env.HOME;
      const userDirs = [
        ...(deps.env.CLAUDE_CONFIG_DIR ? [path.join(deps.env.CLAUDE_CONFIG_DIR, 'commands')] : []),
        ...(home ? [path.join(home, '.claude', 'commands')] : []),
      ];
      const own = trustsRepoSettings(p)
        ? await listCommandDir(path.join(p.path, '.claude', 'commands'), 'project', p.path)
        : [];
      const seen = new Set(own.map((c) => c.name));
      const user: SlashCommandDto[] = [];
      for (const dir of userDirs)
        for (const c of await listCommandDir(dir, 'user'))
          if (!seen.has(c.name)) {
            seen.add(c.name);
            user.push(c);
          }
      const byName = (a: SlashCommandDto, b: SlashCommandDto) => a.name.localeCompare(b.name);
      return [...own.sort(byName), ...user.sort(byName)];
    },
  };
}

export type ProjectFiles = ReturnType<typeof createProjectFiles>;

/**
 * Review data of a task, read from the repository and the task branch alone (no worktree needed, so it
 * survives cleanup): its commits, its changed files with +/- counts, and unified diffs per file, per
 * commit or whole, redacted then capped in size. Paths and shas asked for must belong to the task's changes.
 */
import type { ChangesDto, CommitDto, DiffDto, FileChangeDto } from '../../../shared/review-dto.js';
import { git, splitNul } from './git.js';
import { isAncestor, mergeBase, resolveCommit, trackingRef } from './git-refs.js';

export interface ReviewTarget {
  repo: string;
  /** The task branch, e.g. `gluon-task/abc123`. */
  branch: string;
  baseBranch: string;
  /** The commit the task started from, as recorded when its worktree was created. */
  recordedBase: string | null;
}

export interface Range {
  base: string;
  head: string;
}

export const DEFAULT_MAX_DIFF_BYTES = 1024 * 1024;
const MAX_COMMITS = 200;
const DIFF_ARGS = ['-M', '--no-relative', '--src-prefix=a/', '--dst-prefix=b/'];

/**
 * The range to review: `base..head` where head is the branch tip.
 * Rules: candidates are the merge bases with the remote-tracking and the local base branch, and the
 * recorded base when it is still an ancestor of head; a candidate equal to head (the branch was merged)
 * says nothing and is dropped unless all are; of the rest, the newest wins. So a merged branch keeps
 * showing its own commits, and a rebased one does not show the upstream commits it was moved over.
 */
export async function resolveRange(t: ReviewTarget): Promise<Range | null> {
  const head = await resolveCommit(t.repo, `refs/heads/${t.branch}`);
  if (head === null) return null;
  const candidates: string[] = [];
  for (const ref of [trackingRef(t.baseBranch), `refs/heads/${t.baseBranch}`]) {
    const tip = await resolveCommit(t.repo, ref);
    const mb = tip ? await mergeBase(t.repo, head, tip) : null;
    if (mb) candidates.push(mb);
  }
  if (
    t.recordedBase &&
    /^[0-9a-f]{40,64}$/.test(t.recordedBase) &&
    (await isAncestor(t.repo, t.recordedBase, head).catch(() => false))
  )
    candidates.push(t.recordedBase);
  const useful = [...new Set(candidates)].filter((c) => c !== head);
  if (useful.length === 0) return { base: candidates[0] ?? head, head };
  let best = useful[0]!;
  for (const c of useful.slice(1)) if (await isAncestor(t.repo, best, c)) best = c;
  return { base: best, head };
}

async function emptyTree(repo: string): Promise<string> {
  return (await git(repo, ['hash-object', '-t', 'tree', '--stdin'], { input: '' })).stdout.trim();
}

/** Changed files between two commits with +/- counts (renames detected; binary files have no counts). */
export async function fileChanges(repo: string, from: string, to: string): Promise<FileChangeDto[]> {
  const names = splitNul((await git(repo, ['diff', '--name-status', '-z', ...DIFF_ARGS, from, to])).stdout);
  const files: FileChangeDto[] = [];
  for (let i = 0; i < names.length;) {
    const code = names[i++]!;
    const status = code[0] as FileChangeDto['status'];
    const oldPath = status === 'R' || status === 'C' ? names[i++] : undefined;
    const file: FileChangeDto = { path: names[i++]!, status, additions: 0, deletions: 0, binary: false };
    files.push(oldPath === undefined ? file : { ...file, oldPath });
  }
  const numstat = (await git(repo, ['diff', '--numstat', '-z', ...DIFF_ARGS, from, to])).stdout.split('\0');
  for (let i = 0; i < numstat.length; i++) {
    const [added, deleted, name] = numstat[i]!.split('\t');
    if (deleted === undefined) continue;
    const filePath = name === '' ? ((i += 2), numstat[i]) : name; // a rename: `a\td\t\0old\0new`
    const file = files.find((f) => f.path === filePath);
    if (!file) continue;
    file.binary = added === '-';
    file.additions = file.binary ? 0 : Number(added);
    file.deletions = file.binary ? 0 : Number(deleted);
  }
  return files;
}

/** The task's changed files against its base. */
export async function listChanges(t: ReviewTarget): Promise<ChangesDto | null> {
  const range = await resolveRange(t);
  if (!range) return null;
  return { ...range, files: await fileChanges(t.repo, range.base, range.head) };
}

/** The task's commits, newest first (at most 200), each with its files. */
export async function listCommits(t: ReviewTarget): Promise<CommitDto[] | null> {
  const range = await resolveRange(t);
  if (!range) return null;
  const format = '--format=%H%x00%P%x00%an%x00%ae%x00%aI%x00%B';
  const args = ['log', '-z', format, `--max-count=${MAX_COMMITS}`, `${range.base}..${range.head}`];
  const fields = (await git(t.repo, args)).stdout.split('\0');
  const commits: CommitDto[] = [];
  for (let i = 0; i + 5 < fields.length; i += 6) {
    const [sha, parents, author, email, time, message] = fields.slice(i, i + 6) as string[];
    const parent = parents!.split(' ')[0] || (await emptyTree(t.repo));
    const files = await fileChanges(t.repo, parent, sha!);
    commits.push({
      sha: sha!,
      author: author!,
      email: email!,
      time: time!,
      message: message!.trimEnd(),
      files,
    });
  }
  return commits;
}

/** Cuts `text` to at most `maxBytes` (UTF-8) at a line boundary. */
export function capDiff(text: string, maxBytes: number): DiffDto {
  if (Buffer.byteLength(text) <= maxBytes) return { diff: text, truncated: false };
  const cut = Buffer.from(text).subarray(0, maxBytes).toString('utf8');
  const end = cut.lastIndexOf('\n');
  return { diff: end === -1 ? '' : cut.slice(0, end + 1), truncated: true };
}

async function diffText(
  repo: string,
  from: string,
  to: string,
  paths: string[],
  req: DiffRequest,
): Promise<DiffDto> {
  const spec = paths.length ? ['--', ...paths] : [];
  const { stdout } = await git(repo, ['--literal-pathspecs', 'diff', ...DIFF_ARGS, from, to, ...spec]);
  // Redact, then cap: a key cut at the cap no longer matches the rule that would hide it.
  return capDiff(req.redact ? req.redact(stdout) : stdout, req.maxBytes ?? DEFAULT_MAX_DIFF_BYTES);
}

export interface DiffRequest {
  path?: string;
  commit?: string;
  maxBytes?: number;
  /** Hides secrets in the diff before it is capped. */
  redact?: (text: string) => string;
}

/**
 * A unified diff of the task: whole, one file, one commit, or one file in one commit.
 * Rules: a commit must be one of the task's commits (a unique prefix of 7+ hex digits), a path one of the
 * files changed (in that commit, or in the task); otherwise null (the caller answers 404). The path is
 * given to git after `--` as a literal pathspec; a rename's old path comes along.
 */
export async function taskDiff(t: ReviewTarget, req: DiffRequest): Promise<DiffDto | null> {
  const range = await resolveRange(t);
  if (!range) return null;
  let [from, to] = [range.base, range.head];
  if (req.commit !== undefined) {
    const shas = (
      await git(t.repo, ['rev-list', `--max-count=${MAX_COMMITS}`, `${range.base}..${range.head}`])
    ).stdout.split('\n');
    const matches = /^[0-9a-f]{7,64}$/.test(req.commit)
      ? shas.filter((s) => s !== '' && s.startsWith(req.commit!))
      : [];
    if (matches.length !== 1) return null;
    to = matches[0]!;
    from = (await resolveCommit(t.repo, `${to}^1`)) ?? (await emptyTree(t.repo));
  }
  if (req.path === undefined) return diffText(t.repo, from, to, [], req);
  const file = (await fileChanges(t.repo, from, to)).find((f) => f.path === req.path);
  if (!file) return null;
  return diffText(t.repo, from, to, file.oldPath ? [file.oldPath, file.path] : [file.path], req);
}

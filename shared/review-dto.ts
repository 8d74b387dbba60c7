/**
 * The review side of a task as the server answers it: its commits, changes and diffs, its pull request, the
 * reviewers' comments on its diff, and what pruning worktrees did. Types only; the requests are in `api.ts`.
 */

export interface FileChangeDto {
  path: string;
  oldPath?: string;
  status: 'A' | 'M' | 'D' | 'R' | 'C' | 'T';
  additions: number;
  deletions: number;
  binary: boolean;
}

export interface CommitDto {
  sha: string;
  author: string;
  email: string;
  time: string;
  message: string;
  files: FileChangeDto[];
}

export interface ChangesDto {
  base: string;
  head: string;
  files: FileChangeDto[];
}

export interface DiffDto {
  /** Unified diff text (git's format), for one file or one commit. */
  diff: string;
  truncated: boolean;
}

export interface PullRequestDto {
  number: number;
  url: string;
  state: 'open' | 'closed' | 'merged';
  checks: 'pending' | 'success' | 'failure' | null;
}

/** What `POST /api/worktrees/prune` did: worktrees removed, stale registrations dropped, and what it kept and why. */
export interface PruneReportDto {
  removed: { taskId: string | null; path: string; branch: string | null; snapshot: string | null }[];
  forgotten: { taskId: string | null; path: string }[];
  kept: { taskId: string | null; path: string; branch: string | null; reason: string }[];
}

/**
 * `GET /api/tasks/:id/comments`: a reviewer's comment on a line or a range of a task's diff (lines of the
 * file at the branch tip). `line`/`endLine` are where its code is now, re-anchored by content after later
 * commits; `outdated` when that code is gone (then they are where it was).
 */
export interface ReviewCommentDto {
  id: string;
  taskId: string;
  path: string;
  line: number;
  endLine: number;
  /** The lines the comment points at, as they were when it was written. */
  code: string;
  body: string;
  outdated: boolean;
  /** The commit the comment was written on. */
  commitSha: string;
  /** The review it was sent with; null while pending. */
  reviewId: string | null;
  sentAt: string | null;
  /** Commits after the review was sent that changed the lines it points at (short shas, oldest first). */
  addressedBy: string[];
  createdAt: string;
  resolvedAt: string | null;
}

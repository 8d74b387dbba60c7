/**
 * GitHub through Octokit: which repository a project is, opening a pull request idempotently, and reading
 * a pull request's state and the combined status of its checks. The API base URL is configurable, for
 * GitHub Enterprise (and the fake GitHub in tests).
 */
import type { PullRequestDto } from '../../../shared/review-dto.js';
import { githubRequest, lazyOctokit } from './octokit.js';

export interface GitHubRepo {
  owner: string;
  repo: string;
}

const NAME = /^[A-Za-z0-9_.-]+$/;

/**
 * The `owner/repo` a remote URL points to, for any host (GitHub Enterprise too).
 * Accepts `https://host/owner/repo(.git)`, `ssh://git@host[:port]/owner/repo(.git)` and scp-like
 * `git@host:owner/repo(.git)`; anything else (a local path, more path segments) is null.
 */
export function parseRemoteRepo(url: string): GitHubRepo | null {
  const scp = /^[A-Za-z0-9._-]+@[A-Za-z0-9.-]+:(?!\/)(.+)$/.exec(url);
  let repoPath: string;
  if (scp) repoPath = scp[1]!;
  else {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return null;
    }
    if (!['https:', 'http:', 'ssh:', 'git:'].includes(parsed.protocol)) return null;
    repoPath = parsed.pathname.replace(/^\/+/, '');
  }
  const parts = repoPath
    .replace(/\/+$/, '')
    .replace(/\.git$/, '')
    .split('/');
  if (parts.length !== 2 || !parts.every((p) => NAME.test(p) && p !== '.' && p !== '..')) return null;
  return { owner: parts[0]!, repo: parts[1]! };
}

/** The repository of a project: its `github` setting (`owner/repo`) first, else its origin URL. */
export function resolveGitHubRepo(project: {
  github: string | null;
  remoteUrl: string | null;
}): GitHubRepo | null {
  if (project.github) {
    const [owner, repo, extra] = project.github.split('/');
    if (owner && repo && extra === undefined && NAME.test(owner) && NAME.test(repo)) return { owner, repo };
    return null;
  }
  return project.remoteUrl ? parseRemoteRepo(project.remoteUrl) : null;
}

export interface OpenPullInput extends GitHubRepo {
  head: string;
  base: string;
  title: string;
  body: string;
}

export interface PullRequestInfo {
  number: number;
  url: string;
  state: PullRequestDto['state'];
  headSha: string;
}

type Pull = {
  number: number;
  html_url: string;
  state: string;
  merged_at?: string | null;
  merged?: boolean;
  head: { sha: string };
};

const toInfo = (p: Pull): PullRequestInfo => ({
  number: p.number,
  url: p.html_url,
  state: p.merged || p.merged_at ? 'merged' : p.state === 'open' ? 'open' : 'closed',
  headSha: p.head.sha,
});

const FAILED = new Set(['failure', 'error', 'timed_out', 'cancelled', 'action_required', 'startup_failure']);

export interface GitHubOptions {
  token: string;
  /** Default `https://api.github.com`. */
  baseUrl?: string;
}

/** A GitHub client over Octokit. Errors are Octokit's `RequestError` (with `status`), or fetch's. */
export function createGitHub(opts: GitHubOptions) {
  const octokit = lazyOctokit(opts);
  const request = githubRequest;

  async function findOpen(r: GitHubRepo, head: string): Promise<PullRequestInfo | null> {
    const { data } = await (
      await octokit()
    ).rest.pulls.list({
      ...r,
      state: 'open',
      head: `${r.owner}:${head}`,
      per_page: 100,
      request: request(),
    });
    const found = data.find((p) => p.head.ref === head);
    return found ? toInfo(found) : null;
  }

  return {
    /**
     * Opens a pull request for `head` into `base`, or returns the open one that exists for `head`.
     * Rules: look first; create; if GitHub answers 422 (a PR for the head appeared meanwhile), look again.
     */
    async openPullRequest(input: OpenPullInput): Promise<{ pr: PullRequestInfo; created: boolean }> {
      const r = { owner: input.owner, repo: input.repo };
      const existing = await findOpen(r, input.head);
      if (existing) return { pr: existing, created: false };
      try {
        const { data } = await (
          await octokit()
        ).rest.pulls.create({
          ...r,
          head: input.head,
          base: input.base,
          title: input.title,
          body: input.body,
          request: request(),
        });
        return { pr: toInfo(data), created: true };
      } catch (error) {
        const again = (error as { status?: number }).status === 422 ? await findOpen(r, input.head) : null;
        if (again) return { pr: again, created: false };
        throw error;
      }
    },

    /**
     * Merges a pull request whose head is `sha` (GitHub refuses with 409 when the head moved meanwhile),
     * by a merge commit or by rebasing its commits onto the base; returns the base's new commit.
     */
    async mergePullRequest(
      r: GitHubRepo,
      number: number,
      how: { sha: string; method: 'merge' | 'rebase' },
    ): Promise<string> {
      const { data } = await (
        await octokit()
      ).rest.pulls.merge({
        ...r,
        pull_number: number,
        sha: how.sha,
        merge_method: how.method,
        request: request(),
      });
      return data.sha;
    },

    async getPullRequest(r: GitHubRepo, number: number): Promise<PullRequestInfo> {
      const { data } = await (
        await octokit()
      ).rest.pulls.get({ ...r, pull_number: number, request: request() });
      return toInfo(data);
    },

    /**
     * The combined state of the commit statuses and check runs of `ref`.
     * Rules: none at all → null; any failed → failure; any still running → pending; else success.
     */
    async getChecks(r: GitHubRepo, ref: string): Promise<PullRequestDto['checks']> {
      const api = (await octokit()).rest;
      const [status, runs] = await Promise.all([
        api.repos.getCombinedStatusForRef({ ...r, ref, request: request() }),
        api.checks.listForRef({ ...r, ref, per_page: 100, request: request() }),
      ]);
      const states = status.data.statuses.map((s) => s.state);
      const checkRuns = runs.data.check_runs;
      if (states.length === 0 && checkRuns.length === 0) return null;
      if (
        states.some((s) => FAILED.has(s)) ||
        checkRuns.some((c) => c.conclusion && FAILED.has(c.conclusion))
      )
        return 'failure';
      if (states.some((s) => s === 'pending') || checkRuns.some((c) => c.status !== 'completed'))
        return 'pending';
      return 'success';
    },
  };
}

export type GitHub = ReturnType<typeof createGitHub>;
